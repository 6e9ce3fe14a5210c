"""Reads of the office network: scoped, joined and ready to render."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

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
