"""The backlog of every office in one query, and each office's projected clearance date.

Per office (all offices in the reader's scope at once, one SQL statement whatever the number
of offices): applicants waiting to be served (booked or in process for dates up to the
office's today), those served but not issued (approved or printed), the oldest waiting
applicant's date, applications decided over the last ``BACKLOG_THROUGHPUT_DAYS``, the next
free slot, and the directive in force. The four booking figures come from one pass over the
office's live bookings (a lateral join, bookings/sql_lateral.py), not one subquery each.

The projection is arithmetic on that row, with no further query: the office clears
``rate`` applicants a day, its recent daily throughput, which cannot exceed its daily
quota unless the directive allows overtime and weekend service; days are working days
(``BOOKING_WORKING_DAYS``) unless the directive allows weekend service. No throughput
means no projection: the office will not clear its backlog at its recent pace.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    DateField,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TimeField,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from bookings.calendar import is_working_day
from bookings.choices import BookingStatus
from bookings.models import ClearanceDirective, Slot
from bookings.models.backlog import in_force_through
from bookings.sql_lateral import join_lateral, positional
from offices import access
from offices.access import Capability
from offices.models import Office

S = BookingStatus
#: Booked or in process and not yet decided: waiting to be served.
WAITING = (S.BOOKED, S.CHECKED_IN, S.DOCUMENTS_VERIFIED, S.BIOMETRICS_CAPTURED, S.INTERVIEWED)
#: Decided in the applicant's favour, passport not yet handed over.
SERVED_NOT_ISSUED = (S.APPROVED, S.PRINTED)
#: Projections further than this are reported as "not within a year".
HORIZON_DAYS = 366


#: The office's today, as a scalar sub-select: computed once per office, not once per booking.
LOCAL_TODAY = "(SELECT (%(now)s AT TIME ZONE {office}.timezone)::date)"

#: The booking figures of ``backlog_offices``, in one pass over each office's live bookings
#: (a lateral join: bookings/sql_lateral.py).
BACKLOG_FIGURES = """
    SELECT count(*) FILTER (WHERE b.status = ANY(%(waiting)s) AND b.service_date <= {today}) AS waiting,
           min(b.service_date) FILTER (WHERE b.status = ANY(%(waiting)s) AND b.service_date <= {today})
             AS oldest_waiting,
           count(*) FILTER (WHERE b.status = ANY(%(served)s)) AS served_not_issued,
           count(*) FILTER (WHERE b.approved_at >= %(since)s OR b.rejected_at >= %(since)s) AS decided_recent
      FROM bookings_booking b
     WHERE b.office_id = {office}.id AND NOT b.imported"""


def _backlog_figures(queryset: QuerySet[Office], *, now: dt.datetime, since: dt.datetime) -> QuerySet[Office]:
    """``queryset`` with waiting, oldest_waiting, served_not_issued and decided_recent per office."""
    body, params = positional(BACKLOG_FIGURES.replace("{today}", LOCAL_TODAY), {
        "now": now, "since": since, "waiting": [str(s) for s in WAITING],
        "served": [str(s) for s in SERVED_NOT_ISSUED]})
    return join_lateral(queryset, "office_backlog", body, params, {
        "waiting": IntegerField(), "oldest_waiting": DateField(), "served_not_issued": IntegerField(),
        "decided_recent": IntegerField()})


def backlog_offices(user, *, now: dt.datetime | None = None,
                    reach: access.Reach | None = None) -> QuerySet[Office]:
    """Offices ``user`` may see (VIEW), each annotated with its backlog figures and directive.

    Pages pass the request's ``reach`` to save the read of the person's postings.
    """
    now = now or timezone.now()
    since = now - dt.timedelta(days=settings.BACKLOG_THROUGHPUT_DAYS)
    local_today = RawSQL("(%s AT TIME ZONE offices_office.timezone)::date", (now,), output_field=DateField())
    local_time = RawSQL("(%s AT TIME ZONE offices_office.timezone)::time", (now,), output_field=TimeField())
    free = (Slot.objects.filter(office_id=OuterRef("pk"), closed=False, booked__lt=F("capacity"))
            .filter(Q(service_date__gt=OuterRef("local_today"))
                    | Q(service_date=OuterRef("local_today"), starts_at__gt=OuterRef("local_time")))
            .order_by("service_date", "starts_at"))
    queryset = _backlog_figures(Office.objects.select_related("region", "parent"), now=now, since=since)
    queryset = (
        queryset
        .annotate(local_today=local_today, local_time=local_time)
        .annotate(
            next_free_date=Subquery(free.values("service_date")[:1]),
            next_free_time=Subquery(free.values("starts_at")[:1]),
            # The directive in force: a superseded or withdrawn one counts as none.
            current=FilteredRelation("clearance_directives",
                                     condition=in_force_through("clearance_directives")),
        )
        .annotate(directive_id=F("current__id"), deadline=F("current__deadline"),
                  extra_service_allowed=F("current__extra_service_allowed"),
                  directive_issued_at=F("current__issued_at"), directive_note=F("current__note"))
        .order_by("code")
    )
    return access.restrict(queryset, user, Capability.VIEW, reach=reach)


@dataclass(frozen=True, slots=True)
class Projection:
    """When an office will have served everyone now waiting, at its recent pace."""

    throughput: float
    rate: float
    clearance_date: dt.date | None
    on_track: bool | None


def _add_service_days(start: dt.date, days: int, *, weekends: bool) -> dt.date:
    if weekends:
        return start + dt.timedelta(days=days)
    day, left = start, days
    while left > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def backlog_projection(office: Office) -> Projection:
    """The projection for one row of ``backlog_offices`` (no query)."""
    throughput = office.decided_recent / settings.BACKLOG_THROUGHPUT_DAYS
    extra = bool(office.extra_service_allowed)
    rate = throughput if extra else min(throughput, office.daily_quota)
    if office.waiting == 0:
        clearance = office.local_today
    elif rate <= 0:
        clearance = None
    else:
        days = math.ceil(office.waiting / rate)
        clearance = (None if days > HORIZON_DAYS
                     else _add_service_days(office.local_today, days, weekends=extra))
    on_track = None
    if office.deadline is not None:
        on_track = clearance is not None and clearance <= office.deadline
    return Projection(throughput=round(throughput, 2), rate=round(rate, 2), clearance_date=clearance,
                      on_track=on_track)


def directives_for(user, *, reach: access.Reach | None = None) -> QuerySet[ClearanceDirective]:
    """Directives (in force, superseded and withdrawn) at the offices ``user`` may see, newest first."""
    directives = ClearanceDirective.objects.select_related("office", "issued_by", "withdrawn_by")
    return (access.restrict(directives, user, Capability.VIEW, reach=reach)
            .order_by("-issued_at", "office__code"))
