"""The backlog of every office in one query, and each office's projected clearance date.

Per office (all offices in the reader's scope at once, one SQL statement with correlated
aggregates, whatever the number of offices): applicants waiting to be served (booked or in
process for dates up to the office's today), those served but not issued (approved or
printed), the oldest waiting applicant's date, applications decided over the last
``BACKLOG_THROUGHPUT_DAYS``, the next free slot, and the directive in force.

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
    Count,
    DateField,
    F,
    FilteredRelation,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TimeField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from bookings.calendar import is_working_day
from bookings.choices import BookingStatus
from bookings.models import Booking, ClearanceDirective, Slot
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


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.values("office_id").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def backlog_offices(user, *, now: dt.datetime | None = None,
                    reach: access.Reach | None = None) -> QuerySet[Office]:
    """Offices ``user`` may see (VIEW), each annotated with its backlog figures and directive.

    Pages pass the request's ``reach`` to save the read of the person's postings.
    """
    now = now or timezone.now()
    since = now - dt.timedelta(days=settings.BACKLOG_THROUGHPUT_DAYS)
    mine = Booking.objects.filter(office_id=OuterRef("pk"), imported=False)
    local_today = RawSQL("(%s AT TIME ZONE offices_office.timezone)::date", (now,), output_field=DateField())
    local_time = RawSQL("(%s AT TIME ZONE offices_office.timezone)::time", (now,), output_field=TimeField())
    free = (Slot.objects.filter(office_id=OuterRef("pk"), closed=False, booked__lt=F("capacity"))
            .filter(Q(service_date__gt=OuterRef("local_today"))
                    | Q(service_date=OuterRef("local_today"), starts_at__gt=OuterRef("local_time")))
            .order_by("service_date", "starts_at"))
    waiting = mine.filter(status__in=WAITING, service_date__lte=OuterRef("local_today"))
    queryset = (
        Office.objects.select_related("region", "parent")
        .annotate(local_today=local_today, local_time=local_time)
        .annotate(
            waiting=_count(waiting),
            oldest_waiting=Subquery(waiting.values("office_id").annotate(d=Min("service_date")).values("d")),
            served_not_issued=_count(mine.filter(status__in=SERVED_NOT_ISSUED)),
            decided_recent=_count(mine.filter(Q(approved_at__gte=since) | Q(rejected_at__gte=since))),
            next_free_date=Subquery(free.values("service_date")[:1]),
            next_free_time=Subquery(free.values("starts_at")[:1]),
            current=FilteredRelation("clearance_directives",
                                     condition=Q(clearance_directives__superseded_at__isnull=True)),
        )
        .annotate(deadline=F("current__deadline"), extra_service_allowed=F("current__extra_service_allowed"),
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
    """Directives (current and superseded) at the offices ``user`` may see, newest first."""
    return access.restrict(ClearanceDirective.objects.select_related("office", "issued_by"), user,
                           Capability.VIEW, reach=reach).order_by("-issued_at", "office__code")
