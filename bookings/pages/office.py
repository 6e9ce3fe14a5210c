"""The office pages: which office, the day's board and its live queue, the backlog.

Officers and heads reach an office's board with OPERATE there (an officer: the posted office;
a head: the Kanim and its units); capacity, closures and the backlog need MANAGE. Anything
else answers 404, exactly like an office that does not exist. Views only read through the
selectors and call services; capacity, walk-ins and the counter buttons live in their own modules.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from audit.detection.selectors_office import office_flag_counts
from bookings.selectors_backlog import backlog_offices, backlog_projection
from bookings.selectors_office import office_board, staff_at_work, step_label
from bookings.services import slots_materialise
from offices import access, selectors
from offices.access import Capability
from offices.models import Office
from passport_portal.planner import planned_without_jit


def office_or_404(request, code: str, capability: Capability) -> Office:
    """The office ``code`` if the person holds ``capability`` there, else 404."""
    return access.get_scoped_or_404(selectors.office_list(), request.user, capability,
                                    reach=request.reach, code=code)


def office_context(request, office: Office, tab: str) -> dict:
    """What every office page's heading needs: the office, its clock, and the tabs allowed."""
    return {"office": office, "local_now": timezone.now().astimezone(office.zone), "tab": tab,
            "may_manage": request.reach.scopes[Capability.MANAGE].allows(office.pk)}


@require_safe
@login_required
def office_pick(request):
    """The offices the person works at: one goes straight to its board, several are listed."""
    offices = access.restrict(selectors.office_list(), request.user, Capability.OPERATE, reach=request.reach)
    offices = list(selectors.offices_with_staff_on_duty(offices))
    if not offices:
        raise Http404
    if len(offices) == 1:
        return redirect("office:board", code=offices[0].code)
    manage = request.reach.scopes[Capability.MANAGE]
    now = timezone.now()
    rows = [{"office": o, "local_now": now.astimezone(o.zone), "may_manage": manage.allows(o.pk)}
            for o in offices]
    return render(request, "office/pick.html", {"rows": rows})


def _board_context(office: Office) -> dict:
    day = office.local_date()
    slots_materialise(office=office, service_date=day)
    return {"board": office_board(office, day), "day": day}


def board_page(request, office: Office, extra: dict | None = None, *, status: int = 200):
    """The board of ``office`` (OPERATE already checked), with ``extra`` for the queue partial."""
    context = office_context(request, office, "board") | _board_context(office)
    staff = [{"assignment": a, "step": step_label(a.last_action), "at": a.last_at}
             for a in staff_at_work(office, context["day"])]
    return render(request, "office/board.html", context | {"staff": staff} | (extra or {}), status=status)


def queue_context(request, office: Office) -> dict:
    """What the queue partial needs alone: the day's board, the clock, and whether the person
    may override (MANAGE) besides taking steps (OPERATE, which reaching the board required)."""
    return {"office": office, "local_now": timezone.now().astimezone(office.zone),
            "may_manage": request.reach.scopes[Capability.MANAGE].allows(office.pk)} | _board_context(office)


@require_safe
@login_required
def board(request, code: str):
    """Today's board: slots with their bookings, the queue in serving order, staff at work."""
    return board_page(request, office_or_404(request, code, Capability.OPERATE))


@require_safe
@login_required
def queue(request, code: str):
    """The board's queue and slots alone, for htmx to refresh in place."""
    office = office_or_404(request, code, Capability.OPERATE)
    return render(request, "office/partials/queue.html", queue_context(request, office))


@require_safe
@login_required
def backlog(request, code: str):
    """The office's backlog and projected clearance against its directive, and the open
    findings touching it, counted by category (never a finding, never a name)."""
    office = office_or_404(request, code, Capability.MANAGE)
    with planned_without_jit():  # the network's lateral figures (passport_portal/planner.py)
        row = backlog_offices(request.user).filter(pk=office.pk).first()
    if row is None:
        raise Http404
    return render(request, "office/backlog.html", office_context(request, office, "backlog") | {
        "row": row, "projection": backlog_projection(row),
        "flags": office_flag_counts(user=request.user, office=office, reach=request.reach),
    })
