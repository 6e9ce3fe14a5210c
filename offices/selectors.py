"""Reads of the office network: scoped, joined and ready to render."""

from __future__ import annotations

import datetime as dt
import functools

from django.db.models import Count, DateField, F, Func, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Cast, Coalesce, Now
from django.utils import timezone

from passport_portal.model_rows import RowReader, fetch_row

from .choices import OfficeTimezone, OfficeType
from .models import Assignment, Office, StaffProfile


def assignments_in_force(staff: StaffProfile, *, on: dt.date | None = None) -> list[Assignment]:
    """Assignments of ``staff`` in force on ``on``; without a date, on each office's own today.

    An office's day is in its own zone, so near midnight a person can already be on the next
    day's posting in WIT while WIB is still on the previous one.
    """
    now = timezone.now()
    if on is not None:
        window = Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    else:
        utc_today = now.date()
        window = (Q(valid_from__lte=utc_today + dt.timedelta(days=1))
                  & (Q(valid_until__isnull=True) | Q(valid_until__gte=utc_today - dt.timedelta(days=1))))
    candidates = staff.assignments.filter(window).select_related("office")
    if on is not None:
        return list(candidates)
    return [a for a in candidates if a.covers(a.office.local_date(now))]


def assignment_of(staff: StaffProfile, *, on: dt.date | None = None,
                  office: Office | None = None) -> Assignment | None:
    """The assignment in force for ``staff`` (at ``office`` when given), or None."""
    for assignment in assignments_in_force(staff, on=on):
        if office is None or assignment.office_id == office.pk:
            return assignment
    return None


@functools.cache
def _office_by_code_query() -> tuple[str, RowReader]:
    reader = RowReader(Office, "o")
    return f'SELECT {reader.columns} FROM "{Office._meta.db_table}" o WHERE o.code = %s', reader  # noqa: S608


def office_by_code(code: str) -> Office | None:
    """The office with this code, or None: what ``Office.objects.filter(code=code).first()`` gives.

    Every booking attempt names its office by code: the SQL is written once
    (passport_portal/model_rows.py), at half the ORM's CPU.
    """
    sql, reader = _office_by_code_query()
    row = fetch_row(sql, [code], prepared=True)
    return None if row is None else reader.instance(row)


def office_list() -> QuerySet[Office]:
    """Offices with what their list and detail views show, without N+1 queries."""
    return Office.objects.select_related("region", "parent")


def staff_list() -> QuerySet[StaffProfile]:
    """Staff with their assignments (newest first) and offices prefetched."""
    return StaffProfile.objects.select_related("user").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("office"))
    )


def unit_ids_under(office_ids: set[int]) -> set[int]:
    """The offices themselves plus every unit that hangs under them."""
    units = Office.objects.filter(parent_id__in=office_ids).values_list("pk", flat=True)
    return set(office_ids) | set(units)


def offices_with_unit_counts() -> QuerySet[Office]:
    """Offices for the network table, each with how many units hang under it."""
    return office_list().annotate(unit_count=Count("units"))


def province_summary(offices: QuerySet[Office]) -> QuerySet:
    """Per province: Kanim, units, active offices and daily quota of ``offices`` (one query)."""
    kanim = Q(type=OfficeType.KANIM)
    return (offices.order_by().values("region__code", "region__name")
            .annotate(kanim_count=Count("pk", filter=kanim), unit_count=Count("pk", filter=~kanim),
                      active_count=Count("pk", filter=Q(is_active=True)),
                      quota_total=Sum("daily_quota", filter=Q(is_active=True)))
            .order_by("region__code"))


def network_summary(offices: QuerySet[Office]) -> dict:
    """Counts of ``offices`` by type and zone, active ones and their daily quota (one query)."""
    aggregates = {f"type_{t.value}": Count("pk", filter=Q(type=t)) for t in OfficeType}
    aggregates |= {f"zone_{z.name}": Count("pk", filter=Q(timezone=z)) for z in OfficeTimezone}
    return offices.order_by().aggregate(
        total=Count("pk"), active=Count("pk", filter=Q(is_active=True)),
        provinces=Count("region", distinct=True),
        quota_total=Sum("daily_quota", filter=Q(is_active=True)), **aggregates,
    )


def staff_on_duty(office: Office, *, on: dt.date | None = None) -> QuerySet[Assignment]:
    """Postings at ``office`` in force on ``on`` (the office's own today by default)."""
    day = on or office.local_date()
    return (Assignment.objects.filter(office=office, valid_from__lte=day)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
            .select_related("staff").order_by("role", "staff__name"))


def office_family(office: Office) -> QuerySet[Office]:
    """A Kanim and the units under it (a unit alone for a unit), Kanim first."""
    return Office.objects.filter(Q(pk=office.pk) | Q(parent_id=office.pk)).order_by("type", "code")


def offices_with_staff_on_duty(offices: QuerySet[Office]) -> QuerySet[Office]:
    """``offices`` each with ``on_duty``: postings in force on the office's own today.

    The day is computed in SQL per office (``timezone(office.timezone, now())``), so a WIT
    office has moved to tomorrow while a WIB one is still on today, in one query.
    """
    local_today = Cast(Func(F("timezone"), Now(), function="timezone"), DateField())
    in_force = (Q(assignments__valid_from__lte=local_today)
                & (Q(assignments__valid_until__isnull=True) | Q(assignments__valid_until__gte=local_today)))
    return (offices.annotate(on_duty=Count("assignments", filter=in_force))
            # each Kanim first, then its units
            .order_by(Coalesce("parent_id", "id"), F("parent_id").asc(nulls_first=True), "code"))
