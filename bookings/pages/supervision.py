"""The directorate supervisors' pages: the network at a glance, drill-down, trends and directives.

Who reads them follows offices/access.py: the figures are VIEW data (the backlog) and, for the
flagged share, AUDIT data (findings, as counts only); the pages are the directorate's, so they
open to whoever holds DIRECT or AUDIT (supervisors; auditors read them), and answer 404 to
everyone else, exactly like a page that does not exist. Setting or withdrawing a directive needs
DIRECT at the office: ``directive_set`` and ``directive_withdraw`` decide, and refuse an auditor
with 403. Views only read through bookings/selectors_network.py and call those services.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django_tables2 import RequestConfig

from audit.detection.selectors_flagged import flagged_booking_refs
from bookings.errors import Conflict
from bookings.forms_supervision import DirectiveForm, DirectiveWithdrawForm, NetworkFilter
from bookings.selectors_backlog import backlog_projection, directives_for
from bookings.selectors_network import (
    BEHIND_SCHEDULE,
    DirectiveStatus,
    Week,
    directives_in_force,
    network_offices,
    network_totals,
    province_totals,
    weekly_trends,
)
from bookings.services.backlog import directive_set, directive_withdraw
from bookings.tables_supervision import NetworkTable
from offices import access
from offices.access import Capability
from offices.choices import OfficeType
from offices.errors import NotAllowed
from offices.models import Office, Region
from passport_portal.forms import REFUSALS, form_errors
from passport_portal.pages import TablePage
from passport_portal.planner import planned_without_jit, streamed_without_jit, without_jit
from passport_portal.request_meta import request_meta

#: Directives listed in the history at the foot of the directives page.
HISTORY_LENGTH = 50


def require_reader(request) -> None:
    """404 unless the person directs or audits somewhere: these are the directorate's pages."""
    reach = request.reach
    if not (reach.can(Capability.DIRECT) or reach.can(Capability.AUDIT)):
        raise Http404


def _flagged(request) -> QuerySet | None:
    """Detection's refs of suspected bookings, for readers of findings (AUDIT) only."""
    if not request.reach.can(Capability.AUDIT):
        return None
    return flagged_booking_refs(user=request.user, reach=request.reach)


def _offices(request) -> QuerySet[Office]:
    return network_offices(request.user, flagged_refs=_flagged(request), reach=request.reach)


def _visible(request) -> QuerySet[Office]:
    return access.restrict(Office.objects.all(), request.user, Capability.VIEW, reach=request.reach)


def _may_direct(request, office: Office) -> bool:
    return request.reach.scopes[Capability.DIRECT].allows(office.pk)


def _unix(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC).timestamp())


def trend_charts(weeks: list[Week]) -> dict:
    """The chart partial's data: counts per week, and the flagged share (when it may be read)."""
    x = [_unix(w.monday) for w in weeks]
    counts = {"x": x, "x_label": _("Week of"), "series": [
        {"label": _("Bookings made"), "values": [w.bookings for w in weeks]},
        {"label": _("Decided"), "values": [w.decided for w in weeks]},
        {"label": _("No-shows"), "values": [w.no_shows for w in weeks]},
        {"label": _("Waiting at week end"), "values": [w.backlog for w in weeks]},
    ]}
    charts = {"counts": counts, "flagged": None}
    if weeks and weeks[0].flagged is not None:
        charts["flagged"] = {"x": x, "x_label": _("Week of"), "series": [
            {"label": _("Flagged fictitious or bot (%)"),
             "values": [None if w.flagged_share is None else round(w.flagged_share * 100, 1) for w in weeks]},
        ]}
    return charts


def _trends(request, offices: QuerySet[Office]) -> dict:
    weeks = weekly_trends(offices, flagged_refs=_flagged(request))
    return {"weeks": weeks, "charts": trend_charts(weeks)}


# --- the network, provinces ---------------------------------------------------------------------

@require_safe
@login_required
@without_jit
def overview(request):
    """The network at a glance: its totals, one row per province, and the weekly trends."""
    require_reader(request)
    rows = list(_offices(request))
    return render(request, "supervision/overview.html", {
        "totals": network_totals(rows), "provinces": province_totals(rows),
        "may_read_flags": request.reach.can(Capability.AUDIT), **_trends(request, _visible(request)),
    })


@require_safe
@login_required
@without_jit
def province(request, code: str):
    """One province: its totals and trends, and its Kanim, each leading to its units."""
    require_reader(request)
    region = Region.objects.filter(code=code).first()
    rows = list(_offices(request).filter(region__code=code)) if region else []
    if not rows:
        raise Http404
    table = NetworkTable(_offices(request).filter(region__code=code, type=OfficeType.KANIM), request=request)
    RequestConfig(request, paginate=False).configure(table)
    return render(request, "supervision/province.html", {
        "region": region, "totals": network_totals(rows, name=region.name), "table": table,
        "may_read_flags": request.reach.can(Capability.AUDIT),
        **_trends(request, _visible(request).filter(region__code=code)),
    })


@method_decorator(login_required, name="dispatch")
class NetworkTablePage(TablePage):
    """Every office and unit with its figures: filter, sort, page, and export the same rows."""

    table_class = NetworkTable
    filterset_class = NetworkFilter
    export_name = "network-backlog"
    page_title = gettext_lazy("Backlog across the network")
    template_name = "supervision/offices.html"

    def dispatch(self, request, *args, **kwargs):
        require_reader(request)
        with planned_without_jit():
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        if response.streaming:  # the CSV export reads its rows after the view has returned
            response.streaming_content = streamed_without_jit(response.streaming_content)
        return response

    def get_queryset(self):
        return _offices(self.request)

    def get_table_kwargs(self):
        # Findings are AUDIT data: without it the column would only ever say "–".
        return {} if self.request.reach.can(Capability.AUDIT) else {"exclude": ("flagged_share",)}


# --- one office ---------------------------------------------------------------------------------

def _office_or_404(request, code: str) -> Office:
    with planned_without_jit():
        return access.get_scoped_or_404(_offices(request), request.user, Capability.VIEW,
                                        reach=request.reach, code=code)


def _office_page(request, office: Office, *, form: DirectiveForm | None = None, refusal: str = "",
                 withdraw_form: DirectiveWithdrawForm | None = None, status: int = 200):
    # the page (units, trends, history) and its rendering, planned without JIT
    with planned_without_jit():
        table = NetworkTable(_offices(request).filter(parent_id=office.pk), request=request)
        RequestConfig(request, paginate=False).configure(table)
        unit_rows = list(table.data.data)  # the table renders these same rows: one query
        family = _visible(request).filter(pk__in=[office.pk, *(u.pk for u in unit_rows)])
        history = directives_for(request.user, reach=request.reach).filter(office=office)[:HISTORY_LENGTH]
        may_direct = _may_direct(request, office)
        if form is None and may_direct:
            form = DirectiveForm(has_units=bool(unit_rows), initial={"within_days": 14})
        if withdraw_form is None and may_direct and office.directive_id:
            withdraw_form = DirectiveWithdrawForm(initial={"directive": office.directive_id})
        return render(request, "supervision/office.html", {
            "office": office, "shares": network_totals([office]), "projection": backlog_projection(office),
            "units": table if unit_rows else None,
            "family": network_totals([office, *unit_rows]) if unit_rows else None,
            "local_now": timezone.now().astimezone(office.zone),
            "history": history,
            "form": form if may_direct else None, "refusal": refusal,
            "withdraw_form": withdraw_form if may_direct else None,
            "may_read_flags": request.reach.can(Capability.AUDIT),
            **_trends(request, family),
        }, status=status)


@require_safe
@login_required
def office(request, code: str):
    """An office (a Kanim with its units): figures, projection, directive and its history, trends."""
    require_reader(request)
    return _office_page(request, _office_or_404(request, code))


@require_POST
@login_required
def directive_create(request, code: str):
    """Set a clearance directive for the office (and its units if asked): ``directive_set`` decides."""
    require_reader(request)
    office = _office_or_404(request, code)
    units = list(_visible(request).filter(parent_id=office.pk))
    form = DirectiveForm(request.POST, has_units=bool(units))
    if not form.is_valid():
        return _office_page(request, office, form=form, status=400)
    data = form.cleaned_data
    targets = [office, *(units if data.get("include_units") else [])]
    try:
        directives = directive_set(actor=request.user, offices=targets, deadline=data["deadline"],
                                   within_days=data["within_days"], note=data["note"],
                                   extra_service_allowed=data["extra_service_allowed"],
                                   meta=request_meta(request))
    except ValidationError as exc:
        form_errors(form, exc)
        return _office_page(request, office, form=form, status=400)
    except NotAllowed as exc:
        return _office_page(request, office, refusal=exc.message, status=403)
    except Conflict as exc:
        form.add_error(None, exc.message)
        return _office_page(request, office, form=form, status=409)
    messages.success(request, _("Directive set for %(offices)s: clear the backlog by %(deadline)s.") % {
        "offices": ", ".join(d.office.code for d in directives),
        "deadline": directives[0].deadline.isoformat()})
    return redirect("supervision:office", code=office.code)


@require_POST
@login_required
def directive_withdraw_page(request, code: str):
    """Withdraw the office's directive in force with a reason: ``directive_withdraw`` decides."""
    require_reader(request)
    office = _office_or_404(request, code)
    form = DirectiveWithdrawForm(request.POST)
    if not form.is_valid():
        return _office_page(request, office, withdraw_form=form, status=400)
    directive = (directives_for(request.user, reach=request.reach)
                 .filter(office=office, pk=form.cleaned_data["directive"]).first())
    if directive is None:
        raise Http404
    try:
        directive_withdraw(actor=request.user, directive=directive, reason=form.cleaned_data["reason"],
                           meta=request_meta(request))
    except NotAllowed as exc:  # no form to show it on: the page holds none for who may not direct
        return _office_page(request, office, refusal=exc.message, status=403)
    except REFUSALS as exc:
        status = form_errors(form, exc)
        return _office_page(request, office, withdraw_form=form, status=status)
    messages.success(request, _("Directive withdrawn for %(office)s: it no longer needs to clear its "
                                "backlog by %(deadline)s.") % {"office": office.code,
                                                               "deadline": directive.deadline.isoformat()})
    return redirect("supervision:office", code=office.code)


# --- directives ---------------------------------------------------------------------------------

def _progress(row: Office) -> float | None:
    """Share of the backlog at issue that is gone now (0 when it has grown), None when there was none."""
    if not row.waiting_at_issue:
        return None
    return max(0.0, 1 - row.waiting / row.waiting_at_issue)


@require_safe
@login_required
@without_jit
def directives(request):
    """Directives in force with their progress and status (soonest deadline first), then the history."""
    require_reader(request)
    rows = list(directives_in_force(_offices(request)))
    entries = [{"office": row, "projection": backlog_projection(row), "progress": _progress(row)}
               for row in rows]
    counts = {status: sum(1 for row in rows if row.directive_status == status) for status in DirectiveStatus}
    return render(request, "supervision/directives.html", {
        "entries": entries, "counts": counts, "behind": sum(counts[s] for s in BEHIND_SCHEDULE),
        "history": directives_for(request.user, reach=request.reach)[:HISTORY_LENGTH],
    })


def directives_panel(request) -> dict:
    """The home panel: directives in force by status (one query over the offices under one)."""
    with planned_without_jit():
        rows = list(network_offices(request.user, reach=request.reach).filter(deadline__isnull=False)
                    .values_list("directive_status", flat=True))
    return {"in_force": len(rows), "counts": {status: rows.count(status) for status in DirectiveStatus}}
