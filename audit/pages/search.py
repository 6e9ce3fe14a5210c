"""The event search page, and the paged event list it shares with the officer timeline.

The filters are the API's (audit/filters.py) with the page's labels and inputs. Results are
paged by key and counted up to a bound (keyset.py); ``?export=csv`` streams every match in
the same order, in the API's CSV format (NIKs masked).
"""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django_filters.widgets import DateRangeWidget

from audit.csv_export import event_csv_lines
from audit.filters import EventFilter
from audit.selectors import event_list, event_search_list
from offices import access
from offices.access import Capability
from offices.choices import ZONE_LABELS

from .gate import audit_page
from .keyset import NEWEST_FIRST, OLDEST_FIRST, ORDERS, BadPosition, bounded_count, keyset_page
from .rows import event_row


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date-and-time picker; it sends ISO 8601 whatever the page language."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class DateTimeRangeInput(DateRangeWidget):
    """``at_after`` and ``at_before`` as two date-and-time pickers."""

    def __init__(self, attrs=None):
        forms.MultiWidget.__init__(self, (DateTimeLocalInput(attrs), DateTimeLocalInput(attrs)), attrs)


class EventSearchFilter(EventFilter):
    """The API's event filter, labelled for the page; a time without a zone is the portal's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = ZONE_LABELS.get(timezone.get_default_timezone_name(), "")
        labels = {
            "actor": _("Actor (NIP, account ref or system name)"), "actor_type": _("Kind of actor"),
            "office": _("Office code"), "action": _("Action"), "booking": _("Booking code or ref"),
            "target_type": _("Target type"), "target_id": _("Target id"), "ip": _("IP address"),
            "at": _("From – until (%(zone)s)") % {"zone": zone}, "source": _("Source"),
        }
        for name, label in labels.items():
            if name in self.filters:
                self.filters[name].label = label
        self.filters["at"].extra["widget"] = DateTimeRangeInput()
        self.filters["action"].extra["widget"] = forms.SelectMultiple(attrs={"size": 4})


def _query(request: HttpRequest, **changes) -> str:
    """The current query string with ``changes`` (None removes a key) and no page position."""
    params = request.GET.copy()
    for key in ("after", "before", "export"):
        params.pop(key, None)
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    return params.urlencode()


def csv_export(events: QuerySet, name: str) -> StreamingHttpResponse:
    """Stream ``events`` (already filtered and ordered) as the API's CSV."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    response = StreamingHttpResponse(event_csv_lines(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return response


def event_list_page(request: HttpRequest, *, page_events: QuerySet, csv_events: QuerySet,
                    template: str, export_name: str, hidden: tuple[str, ...] = (),
                    default_order: str = NEWEST_FIRST, context: dict | None = None):
    """Filter, sort and page ``page_events`` (or stream ``csv_events``) and render ``template``.

    Both querysets are scoped by the caller; ``hidden`` filters are left off the form.
    """
    filterset = EventSearchFilter(request.GET, queryset=page_events, request=request)
    for name in hidden:
        filterset.filters.pop(name)
    order = request.GET.get("sort") or default_order
    problems: list[str] = []
    if order not in ORDERS:
        problems.append(_("sort: choose at or -at."))
        order = NEWEST_FIRST
    valid = filterset.is_valid() and not problems
    keys = ("at", "id") if order == OLDEST_FIRST else ("-at", "-id")
    if request.GET.get("export") == "csv":
        csv_filter = EventSearchFilter(request.GET, queryset=csv_events, request=request)
        events = csv_filter.qs.order_by(*keys) if valid and csv_filter.is_valid() else csv_events.none()
        return csv_export(events, export_name)
    page = count = None
    more = False
    if valid:
        matches = filterset.qs
        try:
            page = keyset_page(matches, order=order, after=request.GET.get("after", ""),
                               before=request.GET.get("before", ""))
        except BadPosition:
            problems.append(_("after/before: not a page position of this list; "
                              "start again from the first page."))
        else:
            count, more = bounded_count(matches)
    rows = [event_row(event) for event in page.events] if page else []
    return render(request, template, {
        "filter": filterset, "problems": problems, "rows": rows, "page": page, "count": count,
        "count_more": more, "order": order,
        "sort_query": _query(request, sort=OLDEST_FIRST if order == NEWEST_FIRST else NEWEST_FIRST),
        "newest_first": order == NEWEST_FIRST,
        "first_query": _query(request),
        "after_query": _query(request, after=page.after) if page and page.after else None,
        "before_query": _query(request, before=page.before) if page and page.before else None,
        "export_query": _query(request, export="csv"),
        **(context or {}),
    }, status=400 if problems else 200)


@audit_page
@require_GET
def event_search(request):
    """Search the whole trail by actor, office, action, booking, address and time."""
    scoped = access.restrict(event_search_list(), request.user, Capability.AUDIT, reach=request.reach)
    csv_scoped = access.restrict(event_list(), request.user, Capability.AUDIT, reach=request.reach)
    return event_list_page(request, page_events=scoped, csv_events=csv_scoped,
                           template="audit/event_search.html", export_name="audit-events",
                           context={"page_title": _("Audit trail")})
