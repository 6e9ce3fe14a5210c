"""The supervisors' network at a glance: every office's backlog, quota, no-shows, flags and directive.

One row per office or unit, every figure computed in SQL on top of ``backlog_offices``, so the
whole network costs the same fixed number of queries as one office. Each office's bookings and
slots are read once for all its figures: one lateral join each for the recent bookings and for
the slots ahead (bookings/sql_lateral.py), every figure a ``FILTER`` clause of it. Figures,
per office and on the office's own calendar (docs/portal.md says the same):

- quota use: places booked / places offered over the office's next ``QUOTA_DAYS`` days (today
  included). Offered places are those of the open slots already made, plus the daily quota for
  each working day whose slots are not made yet (nobody has booked it);
- no-show rate: bookings marked NO_SHOW / bookings due (not cancelled) over the last
  ``RECENT_DAYS`` days before today;
- flagged share: bookings made in the last ``RECENT_DAYS`` days that an open FICTITIOUS or BOT
  finding names / all bookings made in those days (only for readers of findings: the page
  passes detection's subquery of refs in, since bookings never imports detection);
- directive status: ON_TRACK, AT_RISK, OVERDUE or MET, the SQL form of ``backlog_projection``
  (so that "behind schedule" can filter, sort and page in the database).

Bookings imported from legacy records count in the history figures (no-shows, flags, trends);
the backlog itself, like ``backlog_offices``, counts live bookings only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Least, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.choices import BookingStatus
from bookings.models import Booking, ClearanceDirective
from bookings.selectors_backlog import HORIZON_DAYS, LOCAL_TODAY, backlog_offices
from bookings.sql_lateral import Fragment, join_lateral, positional
from bookings.weekly_figures import summarised_weeks
from offices.access import Reach
from offices.choices import EASTERNMOST_ZONE, OfficeType
from offices.models import Office

#: Days ahead over which quota use is measured (two whole weeks: every weekday twice).
QUOTA_DAYS = 14
#: Days back over which the no-show rate and the flagged share are measured.
RECENT_DAYS = 28
#: Weeks drawn in the trend charts, the current one last.
TREND_WEEKS = 12
EASTERNMOST = ZoneInfo(EASTERNMOST_ZONE)


class DirectiveStatus(models.TextChoices):
    """How an office stands against its clearance directive."""

    ON_TRACK = "ON_TRACK", _("On track")
    AT_RISK = "AT_RISK", _("At risk")
    OVERDUE = "OVERDUE", _("Overdue")
    MET = "MET", _("Deadline passed, nobody waiting")


BEHIND_SCHEDULE = (DirectiveStatus.AT_RISK, DirectiveStatus.OVERDUE)


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().values("office_id").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


#: Each share shown per office: its part and its whole, both annotations of ``network_offices``.
SHARES = {
    "quota_use": ("booked_ahead", "capacity_ahead"),
    "no_show_rate": ("no_shows_recent", "due_recent"),
    "flagged_share": ("flagged_recent", "made_recent"),
}


def share(part: int | None, whole: int | None) -> float | None:
    """``part / whole``, None when there is no basis (nothing to count, or not allowed to count)."""
    return None if part is None or not whole else part / whole


def share_expression(name: str) -> Func:
    """One of ``SHARES`` in SQL, NULL without a basis, for sorting by it.

    The shares are not selected with the rows (``.alias``, for sorting only): pages compute them
    from the parts.
    """
    part, whole = SHARES[name]
    return Cast(F(part), FloatField()) / NullIf(Cast(F(whole), FloatField()), Value(0.0))


class WorkingDaysAfter(Func):
    """Working days (``BOOKING_WORKING_DAYS``) ``d`` with ``start < d <= end``, counted in SQL."""

    template = ("(SELECT count(*) FROM generate_series((%(expressions)s)::timestamp, interval '1 day') AS d "
                "WHERE extract(isodow FROM d)::int = ANY(%(days)s))")
    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        # the two dates are compiled expressions; the working weekdays travel as a bound array
        start, start_params = compiler.compile(self.source_expressions[0])
        end, end_params = compiler.compile(self.source_expressions[1])
        sql = self.template % {"expressions": f"{start})::timestamp + interval '1 day', ({end}",
                               "days": "%s"}
        return sql, (*start_params, *end_params, [int(d) for d in settings.BOOKING_WORKING_DAYS])


def _status() -> Case:
    """The directive status of a ``backlog_offices`` row: ``backlog_projection`` in SQL.

    The office clears ``ceil(waiting / rate)`` service days from tomorrow; it is on track when
    that many service days fit before the deadline (every day with weekend service, else the
    working days), which is exactly "projected clearance date <= deadline".
    """
    throughput = Cast(F("decided_recent"), FloatField()) / Value(float(settings.BACKLOG_THROUGHPUT_DAYS))
    rate = Case(When(extra_service_allowed=True, then=throughput),
                default=Least(throughput, Cast(F("daily_quota"), FloatField())), output_field=FloatField())
    days_needed = Func(Cast(F("waiting"), FloatField()) / NullIf(rate, Value(0.0)), function="ceil",
                       output_field=FloatField())
    calendar_days = Func(F("deadline"), F("local_today"), template="(%(expressions)s)", arg_joiner=" - ",
                         output_field=IntegerField())
    service_days = Case(When(extra_service_allowed=True, then=calendar_days),
                        default=WorkingDaysAfter(F("local_today"), F("deadline")),
                        output_field=IntegerField())
    S = DirectiveStatus
    return Case(
        When(deadline__isnull=True, then=Value("")),
        When(Q(waiting=0) & Q(deadline__lt=F("local_today")), then=Value(S.MET)),
        When(waiting=0, then=Value(S.ON_TRACK)),
        When(deadline__lt=F("local_today"), then=Value(S.OVERDUE)),
        When(Q(days_needed__isnull=True) | Q(days_needed__gt=HORIZON_DAYS), then=Value(S.AT_RISK)),
        When(days_needed__lte=service_days, then=Value(S.ON_TRACK)),
        default=Value(S.AT_RISK), output_field=CharField(),
    ), days_needed


#: The office's recent history (no-shows, bookings made, flagged), in one pass over the bookings of
#: its last ``RECENT_DAYS`` of service dates (a booking's day is never before the day it was made,
#: so that bound also holds every booking made in those days). Imported bookings count.
HISTORY_FIGURES = """
    SELECT count(*) FILTER (WHERE b.service_date < {today} AND b.status <> %(cancelled)s) AS due_recent,
           count(*) FILTER (WHERE b.service_date < {today} AND b.status = %(no_show)s) AS no_shows_recent,
           count(*) FILTER (WHERE b.created_at BETWEEN %(made_from)s AND %(now)s) AS made_recent
           {flagged}
      FROM bookings_booking b
     WHERE b.office_id = {office}.id AND b.service_date >= {today} - %(recent_days)s"""
FLAGGED = (", count(*) FILTER (WHERE b.created_at BETWEEN %(made_from)s AND %(now)s AND b.ref IN (%(refs)s))"
           " AS flagged_recent")

#: The office's slots of its next ``QUOTA_DAYS`` days (today included), in one pass.
SLOT_FIGURES = """
    SELECT coalesce(sum(s.booked) FILTER (WHERE NOT s.closed), 0) AS booked_ahead,
           coalesce(sum(s.capacity) FILTER (WHERE NOT s.closed), 0) AS capacity_made,
           count(DISTINCT s.service_date) FILTER (WHERE extract(isodow FROM s.service_date)::int
                                                        = ANY(%(working_days)s)) AS days_made
      FROM bookings_slot s
     WHERE s.office_id = {office}.id AND s.service_date >= {today}
       AND s.service_date < {today} + %(quota_days)s"""


def _history_figures(queryset: QuerySet[Office], *, now: dt.datetime,
                     flagged_refs: QuerySet | None) -> QuerySet[Office]:
    named = {"now": now, "made_from": now - dt.timedelta(days=RECENT_DAYS), "recent_days": RECENT_DAYS,
             "cancelled": str(BookingStatus.CANCELLED), "no_show": str(BookingStatus.NO_SHOW)}
    columns = {"due_recent": IntegerField(), "no_shows_recent": IntegerField(), "made_recent": IntegerField()}
    flagged = ""
    if flagged_refs is not None:
        try:
            refs = Fragment(*flagged_refs.query.sql_with_params())
        except EmptyResultSet:  # .none(): nothing is flagged
            refs = Fragment("SELECT NULL WHERE FALSE", ())
        flagged, named["refs"] = FLAGGED, refs
        columns["flagged_recent"] = IntegerField()
    body = HISTORY_FIGURES.replace("{flagged}", flagged).replace("{today}", LOCAL_TODAY)
    body, params = positional(body, named)
    queryset = join_lateral(queryset, "office_history", body, params, columns)
    return queryset if flagged_refs is not None else queryset.annotate(
        flagged_recent=Value(None, output_field=IntegerField()))


def _slot_figures(queryset: QuerySet[Office], *, now: dt.datetime) -> QuerySet[Office]:
    body, params = positional(SLOT_FIGURES.replace("{today}", LOCAL_TODAY), {
        "now": now, "quota_days": QUOTA_DAYS,
        "working_days": [int(d) for d in settings.BOOKING_WORKING_DAYS]})
    return join_lateral(queryset, "office_slots", body, params, {
        "booked_ahead": IntegerField(), "capacity_made": IntegerField(), "days_made": IntegerField()})


def network_offices(user, *, flagged_refs: QuerySet | None = None, now: dt.datetime | None = None,
                    reach: Reach | None = None) -> QuerySet[Office]:
    """Offices ``user`` may see (VIEW), each with its backlog, quota, no-show, flag and directive figures.

    ``flagged_refs`` is a one-column queryset of booking refs under suspicion (detection's
    ``flagged_booking_refs``); without it the flagged counts are NULL, for readers who may not
    read findings.
    """
    now = now or timezone.now()
    working_days = set(settings.BOOKING_WORKING_DAYS)
    status, days_needed = _status()
    units = Office.objects.filter(parent_id=OuterRef("pk")).order_by().values("parent_id").annotate(
        n=Count("id")).values("n")
    offices = backlog_offices(user, now=now, reach=reach)
    offices = _history_figures(_slot_figures(offices, now=now), now=now, flagged_refs=flagged_refs)
    return (
        offices
        .annotate(
            unit_count=Coalesce(Subquery(units, output_field=IntegerField()), Value(0)),
            # two whole weeks hold each weekday twice: 2 × working weekdays, less those already made
            capacity_ahead=(F("capacity_made")
                            + F("daily_quota") * (Value(2 * len(working_days)) - F("days_made"))),
        )
        .alias(days_needed=days_needed)
        .annotate(directive_status=status)
    )


# --- aggregates: the network, provinces --------------------------------------------------------

@dataclass
class Totals:
    """The figures of a group of offices (a province, the network), summed from their rows."""

    key: str
    name: str
    offices: int = 0
    kanim: int = 0
    units: int = 0
    waiting: int = 0
    oldest_waiting: dt.date | None = None
    booked_ahead: int = 0
    capacity_ahead: int = 0
    due_recent: int = 0
    no_shows_recent: int = 0
    made_recent: int = 0
    flagged_recent: int | None = None
    directives: int = 0
    behind: int = 0
    codes: list[str] = field(default_factory=list)

    def add(self, office: Office) -> None:
        self.offices += 1
        self.codes.append(office.code)
        if office.type == OfficeType.KANIM:
            self.kanim += 1
        else:
            self.units += 1
        self.waiting += office.waiting
        if office.oldest_waiting is not None:
            self.oldest_waiting = min(filter(None, (self.oldest_waiting, office.oldest_waiting)))
        self.booked_ahead += office.booked_ahead
        self.capacity_ahead += office.capacity_ahead
        self.due_recent += office.due_recent
        self.no_shows_recent += office.no_shows_recent
        self.made_recent += office.made_recent
        if office.flagged_recent is not None:
            self.flagged_recent = (self.flagged_recent or 0) + office.flagged_recent
        if office.deadline is not None:
            self.directives += 1
            self.behind += office.directive_status in BEHIND_SCHEDULE

    @property
    def quota_use(self) -> float | None:
        return share(self.booked_ahead, self.capacity_ahead)

    @property
    def no_show_rate(self) -> float | None:
        return share(self.no_shows_recent, self.due_recent)

    @property
    def flagged_share(self) -> float | None:
        return share(self.flagged_recent, self.made_recent)


def network_totals(rows: list[Office], *, name: str = "") -> Totals:
    """All ``rows`` summed (no query)."""
    totals = Totals(key="", name=name)
    for office in rows:
        totals.add(office)
    return totals


def province_totals(rows: list[Office]) -> list[Totals]:
    """``rows`` summed per province, in province-code order (no query: rows carry their region)."""
    provinces: dict[str, Totals] = {}
    for office in rows:
        region = office.region
        provinces.setdefault(region.code, Totals(key=region.code, name=region.name)).add(office)
    return [provinces[code] for code in sorted(provinces)]


# --- weekly trends ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Week:
    """One week of a trend: its Monday and its figures for the offices asked about."""

    monday: dt.date
    bookings: int
    decided: int
    no_shows: int
    backlog: int
    flagged: int | None
    #: When the figures were summarised (bookings/weekly_figures.py); None when counted live.
    as_of: dt.datetime | None = None

    @property
    def flagged_share(self) -> float | None:
        return None if self.flagged is None or not self.bookings else self.flagged / self.bookings


def _local_date(name: str) -> Cast:
    """The office-local date of the timestamp ``name`` of a booking."""
    return Cast(Func(F("office__timezone"), F(name), function="timezone"), DateField())


def _week(expression) -> Func:
    return Func(expression, template="date_trunc('week', %(expressions)s)::date", output_field=DateField())


def trend_weeks(*, now: dt.datetime | None = None, weeks: int = TREND_WEEKS) -> list[dt.date]:
    """The Mondays of the last ``weeks`` weeks, the current one last (on the easternmost calendar)."""
    today = (now or timezone.now()).astimezone(EASTERNMOST).date()
    this_monday = today - dt.timedelta(days=today.weekday())
    return [this_monday - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def weekly_trends(offices: QuerySet[Office], *, flagged_refs: QuerySet | None = None,
                  now: dt.datetime | None = None, weeks: int = TREND_WEEKS) -> list[Week]:
    """Per week, over ``offices`` (already scoped), six queries whatever their number:

    bookings made in the week (and how many of them are flagged), applications decided
    (approved or rejected) in the week, no-shows among the week's service dates, and live
    applicants still waiting at the end of the week's last day (the office's today for the
    current week). Every date is the office's own. The weeks come from the weekly figures
    where they may (bookings/weekly_figures.py); from the first week they may not, the weeks
    are counted live, and the flagged count, which depends on the reader, always is.
    """
    now = now or timezone.now()
    mondays = trend_weeks(now=now, weeks=weeks)
    # The earliest instant of the first Monday anywhere (UTC+9): a coarse bound the index can use.
    since = dt.datetime.combine(mondays[0], dt.time(0), tzinfo=EASTERNMOST)
    mine = Booking.objects.filter(office__in=offices.order_by().values("pk"))

    held = {m: summary for m, summary in summarised_weeks(offices, mondays).items() if summary.usable(now)}
    live = mondays[next((i for i, m in enumerate(mondays) if m not in held), len(mondays)):]
    figures = {m: (held[m].made, held[m].decided, held[m].no_shows, held[m].waiting_at_end)
               for m in mondays if m not in live}
    figures.update(_counted_live(mine, live, now=now))

    flagged = {}
    if flagged_refs is not None:
        flagged = dict(mine.filter(ref__in=flagged_refs, created_at__gte=since, created_at__lte=now)
                       .annotate(week=_week(_local_date("created_at"))).filter(week__gte=mondays[0])
                       .values("week").annotate(n=Count("id")).values_list("week", "n"))
    return [Week(monday=m, bookings=figures[m][0], decided=figures[m][1], no_shows=figures[m][2],
                 backlog=figures[m][3], flagged=flagged.get(m, 0) if flagged_refs is not None else None,
                 as_of=held[m].as_of if m not in live else None)
            for m in mondays]


def _counted_live(mine: QuerySet, mondays: list[dt.date], *,
                  now: dt.datetime) -> dict[dt.date, tuple[int, int, int, int]]:
    """Made, decided, no-shows and waiting at the end of each of ``mondays``' weeks, from the bookings."""
    if not mondays:
        return {}
    first = mondays[0]
    since = dt.datetime.combine(first, dt.time(0), tzinfo=EASTERNMOST)
    made = dict(mine.filter(created_at__gte=since, created_at__lte=now)
                .annotate(week=_week(_local_date("created_at"))).filter(week__gte=first)
                .values("week").annotate(n=Count("id")).values_list("week", "n"))

    decided_at = Coalesce("approved_at", "rejected_at")
    decided = dict(mine.filter(Q(approved_at__gte=since) | Q(rejected_at__gte=since))
                   .annotate(decided_on=Cast(Func(F("office__timezone"), decided_at, function="timezone"),
                                             DateField()))
                   .annotate(week=_week(F("decided_on"))).filter(week__gte=first)
                   .values("week").annotate(n=Count("id")).values_list("week", "n"))

    no_shows = dict(mine.filter(status=BookingStatus.NO_SHOW, service_date__gte=first)
                    .annotate(week=_week(F("service_date"))).values("week").annotate(n=Count("id"))
                    .values_list("week", "n"))

    backlog = _backlog_at_week_ends(mine, mondays, since=since, now=now)
    return {m: (made.get(m, 0), decided.get(m, 0), no_shows.get(m, 0), backlog[m]) for m in mondays}


def _backlog_at_week_ends(mine: QuerySet, mondays: list[dt.date], *, since: dt.datetime,
                          now: dt.datetime) -> dict[dt.date, int]:
    """Live applicants waiting at the end of each week's last day, in one query.

    Waiting at the end of day E: booked by then, due by then (service date <= E), and not yet
    approved, rejected, cancelled or marked absent by then. For the current week E is the
    office's today, which makes its figure the current backlog.
    """
    today = Cast(Func(F("office__timezone"), Value(now), function="timezone"), DateField())
    left = Least("approved_at", "rejected_at", "cancelled_at", "no_show_at")
    rows = (mine.filter(imported=False, created_at__lte=now)
            .annotate(left_at=left).filter(Q(left_at__isnull=True) | Q(left_at__gte=since))
            .annotate(made_on=_local_date("created_at"),
                      left_on=Cast(Func(F("office__timezone"), F("left_at"), function="timezone"),
                                   DateField()),
                      local_today=today))
    counts = {}
    for monday in mondays:
        end = Least(Value(monday + dt.timedelta(days=6), output_field=DateField()), F("local_today"))
        counts[monday.isoformat()] = Count("id", filter=Q(made_on__lte=end, service_date__lte=end)
                                           & (Q(left_on__isnull=True) | Q(left_on__gt=end)))
    totals = rows.order_by().aggregate(**counts)
    return {monday: totals[monday.isoformat()] or 0 for monday in mondays}


# --- directives ---------------------------------------------------------------------------------

def waiting_at_issue() -> Coalesce:
    """For a ``network_offices`` row with a directive: live applicants waiting when it was issued."""
    issued = OuterRef("directive_issued_at")
    at_issue = (Booking.objects.filter(office_id=OuterRef("pk"), imported=False, created_at__lte=issued)
                .filter(service_date__lte=Cast(Func(OuterRef("timezone"), issued, function="timezone"),
                                               DateField()))
                .exclude(approved_at__lte=issued).exclude(rejected_at__lte=issued)
                .exclude(cancelled_at__lte=issued).exclude(no_show_at__lte=issued))
    return _count(at_issue)


def directives_in_force(offices: QuerySet[Office]) -> QuerySet[Office]:
    """``network_offices`` rows under a directive, each with the backlog it started from, by deadline."""
    return (offices.filter(deadline__isnull=False).annotate(waiting_at_issue=waiting_at_issue())
            .order_by("deadline", "code"))


def directive_history(directives: QuerySet[ClearanceDirective], office: Office) -> QuerySet:
    """Every directive issued to ``office`` (already scoped), newest first."""
    return directives.filter(office=office).order_by("-issued_at")
