"""Reads of the audit trail for auditors: events with their office and the acting officer's name."""

from __future__ import annotations

from django.db.models import BigIntegerField, Case, CharField, OuterRef, Q, QuerySet, Subquery, Value, When

from bookings.models import Booking
from bookings.selectors import bookings_of_applicant
from offices.models import StaffProfile

from .actions import ActorType
from .models import Event


def event_list() -> QuerySet[Event]:
    """Every event, with its office and, for staff, the officer's name as ``actor_name``.

    Events carry the NIP, not a key, so the name is looked up by NIP (unique, indexed).
    """
    name = StaffProfile.objects.filter(nip=OuterRef("actor_id")).values("name")[:1]
    return Event.objects.select_related("office").annotate(actor_name=Case(
        When(actor_type=ActorType.STAFF, then=Subquery(name)),
        default=Value(""), output_field=CharField()))


def event_search_list() -> QuerySet[Event]:
    """``event_list`` with, for staff, the officer's internal id as ``actor_staff_id``: pages
    link to an officer by id, never by NIP."""
    staff_id = StaffProfile.objects.filter(nip=OuterRef("actor_id")).values("pk")[:1]
    return event_list().annotate(actor_staff_id=Case(
        When(actor_type=ActorType.STAFF, then=Subquery(staff_id)), default=None,
        output_field=BigIntegerField()))


def booking_identifiers(value: str) -> set[str]:
    """The identifiers events may use for the booking known as ``value``.

    The portal's services name a booking by its ``ref``; people know its ``code``; imported
    events carry the ref of the source system. Either one finds the booking's events.
    """
    found = Booking.objects.filter(Q(code=value) | Q(ref=value)).values_list("ref", "code")
    return {value, *(identifier for pair in found for identifier in pair)}


#: Target types naming a booking by its ref: the services' events, and the backstop's record
#: of a change made to the booking's row outside the application.
BOOKING_TARGETS = ("booking", "bookings_booking")


def booking_timeline(value: str) -> QuerySet[Event]:
    """Everything recorded about one booking (by code or ref), oldest first."""
    return booking_events(event_list(), booking_identifiers(value))


def booking_events(events: QuerySet[Event], identifiers: set[str]) -> QuerySet[Event]:
    """The events of ``events`` about the booking known by ``identifiers``, oldest first."""
    return events.filter(target_type__in=BOOKING_TARGETS, target_id__in=identifiers).order_by("at", "id")


def applicant_trail(user) -> QuerySet[Event]:
    """What was recorded about the bookings of the applicant signed in as ``user``, oldest
    first, with each booking's ``booking_code``. Other people get nothing."""
    own = bookings_of_applicant(user).order_by()
    code = Booking.objects.filter(ref=OuterRef("target_id")).values("code")[:1]
    return (Event.objects.select_related("office")
            .filter(target_type="booking", target_id__in=own.values("ref"))
            .annotate(booking_code=Subquery(code)).order_by("at", "id"))


def staff_timeline(nip: str) -> QuerySet[Event]:
    """Everything one officer did, oldest first."""
    return event_list().filter(actor_type=ActorType.STAFF, actor_id=nip).order_by("at", "id")
