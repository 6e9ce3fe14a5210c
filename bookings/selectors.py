"""Reads of bookings and capacity: scoped, joined and ordered for their screens."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, IntegerField, QuerySet, Value, When

from bookings.choices import BookingStatus, Channel
from bookings.models import Booking, Slot
from offices import access
from offices.access import Capability
from offices.models import Office

#: Checked in and not yet through the counter: who is waiting to be served.
WAITING_STATUSES = (BookingStatus.CHECKED_IN, BookingStatus.DOCUMENTS_VERIFIED,
                    BookingStatus.BIOMETRICS_CAPTURED, BookingStatus.INTERVIEWED)


def booking_list() -> QuerySet[Booking]:
    """Bookings with their office and account joined (lists never query per row)."""
    return Booking.objects.select_related("office", "account")


def bookings_for_staff(user) -> QuerySet[Booking]:
    """Bookings at the offices ``user`` may see."""
    return access.restrict(booking_list(), user, Capability.VIEW)


def bookings_of_applicant(user) -> QuerySet[Booking]:
    """The signed-in applicant's own bookings, newest day first."""
    return access.restrict_to_account(booking_list(), user).order_by("-service_date", "-slot_time")


def office_queue(office: Office, day: dt.date) -> QuerySet[Booking]:
    """Who is waiting at ``office`` on ``day``, in serving order: PRIORITY first, then by check-in."""
    priority = Case(When(channel=Channel.PRIORITY, then=Value(0)), default=Value(1),
                    output_field=IntegerField())
    return (booking_list().filter(office=office, service_date=day, status__in=WAITING_STATUSES)
            .annotate(priority=priority).order_by("priority", "checked_in_at", "id"))


def slots_of_day(office: Office, day: dt.date) -> QuerySet[Slot]:
    """The day's slots in time order (made first if needed by the caller)."""
    return Slot.objects.filter(office=office, service_date=day).order_by("starts_at")
