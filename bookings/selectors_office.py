"""Reads of one office's day for its head and officers: the board, staff at work, capacity history.

Each function costs a fixed number of queries whatever the number of slots, bookings or staff:
bookings are read once and grouped by slot in Python, and each person's last counter step is
a correlated subquery on the trail's (actor, time) index.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    DateTimeField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from audit.actions import Action, ActorType
from audit.models import Event
from bookings.calendar import local_datetime
from bookings.choices import BookingStatus, Channel
from bookings.models import Booking, Slot
from bookings.selectors import office_queue, slots_of_day
from bookings.services.counter import STEPS
from offices.models import Assignment, Office, StaffProfile
from offices.selectors import staff_on_duty

#: The counter steps by their trail action, with the words the board uses for them.
STEP_LABELS = {
    Action.CHECK_IN: _("Check-in"),
    Action.VERIFY_DOCUMENTS: _("Document verification"),
    Action.CAPTURE_BIOMETRICS: _("Photo and fingerprints"),
    Action.INTERVIEW: _("Interview"),
    Action.APPROVE: _("Approval"),
    Action.REJECT: _("Rejection"),
    Action.PRINT: _("Printing"),
    Action.HAND_OVER: _("Hand-over"),
}
STEP_ACTIONS = tuple(step.action.value for step in STEPS.values())
#: What changes an office's capacity, in the trail.
CAPACITY_ACTIONS = (Action.QUOTA_CHANGE, Action.DAY_CLOSE, Action.DAY_REOPEN)
HISTORY_LENGTH = 50

S = BookingStatus
#: Where each status sits on the board: waiting at the counter, done for the day, or not come yet.
SERVED = (S.APPROVED, S.REJECTED, S.PRINTED, S.ISSUED)


@dataclass
class SlotRow:
    """One slot of the day with its bookings, waiting ones in serving order first."""

    slot: Slot
    bookings: list[Booking] = field(default_factory=list)


@dataclass
class Board:
    """Everything the day's board shows about the queue, in figures and rows."""

    day: dt.date
    slots: list[SlotRow]
    queue: list[Booking]
    capacity: int
    booked: int
    checked_in: int
    waiting: int
    served: int
    not_come: int
    closed: bool


def _serving_rank() -> Case:
    # Waiting applicants first (PRIORITY, then by check-in), then those not come, then the rest.
    return Case(When(status__in=(S.CHECKED_IN, S.DOCUMENTS_VERIFIED, S.BIOMETRICS_CAPTURED,
                                 S.INTERVIEWED), channel=Channel.PRIORITY, then=Value(0)),
                When(status__in=(S.CHECKED_IN, S.DOCUMENTS_VERIFIED, S.BIOMETRICS_CAPTURED,
                                 S.INTERVIEWED), then=Value(1)),
                When(status=S.BOOKED, then=Value(2)), default=Value(3), output_field=IntegerField())


def day_bookings(office: Office, day: dt.date) -> QuerySet[Booking]:
    """The live bookings of ``office`` on ``day`` by slot, each slot in serving order."""
    return (Booking.objects.filter(office=office, service_date=day, imported=False)
            .annotate(rank=_serving_rank())
            .order_by("slot_time", "rank", "checked_in_at", "created_at", "id")
            .only("id", "code", "slot_time", "status", "channel", "service", "checked_in_at",
                  "created_at", "office_id"))


def office_board(office: Office, day: dt.date) -> Board:
    """The day's slots with their bookings and the waiting queue, with its position numbers.

    Three queries: slots, bookings, queue. Slots must exist (``slots_materialise``) before.
    """
    slots = list(slots_of_day(office, day))
    by_time: dict[dt.time, SlotRow] = {slot.starts_at: SlotRow(slot) for slot in slots}
    bookings = list(day_bookings(office, day))
    queue = list(office_queue(office, day).select_related(None)
                 .only("id", "code", "slot_time", "status", "channel", "checked_in_at", "office_id"))
    position = {booking.pk: number for number, booking in enumerate(queue, start=1)}
    for booking in bookings:
        booking.position = position.get(booking.pk)
        row = by_time.get(booking.slot_time)
        if row is not None:
            row.bookings.append(booking)
    for number, booking in enumerate(queue, start=1):
        booking.position = number
    statuses = [b.status for b in bookings]
    return Board(
        day=day, slots=list(by_time.values()), queue=queue,
        capacity=sum(s.capacity for s in slots), booked=sum(s.booked for s in slots),
        checked_in=sum(1 for b in bookings if b.checked_in_at is not None),
        waiting=len(queue), served=sum(1 for s in statuses if s in SERVED),
        not_come=sum(1 for s in statuses if s in (S.BOOKED, S.NO_SHOW)),
        closed=bool(slots) and all(s.closed for s in slots),
    )


def counter_booking(office: Office, code: str) -> Booking | None:
    """The live booking ``code`` at ``office`` (already scoped by the caller), with its office."""
    return Booking.objects.select_related("office").filter(office=office, code=code, imported=False).first()


def staff_at_work(office: Office, day: dt.date) -> QuerySet[Assignment]:
    """Postings in force at ``office`` on ``day``, each with the counter step its holder took last
    there that day (``last_action``, ``last_at``), from the trail (one query)."""
    start = local_datetime(office, day, dt.time.min)
    end = start + dt.timedelta(days=1)
    last = (Event.objects.filter(actor_type=ActorType.STAFF, actor_id=OuterRef("staff__nip"),
                                 office_id=office.pk, action__in=STEP_ACTIONS, at__gte=start, at__lt=end)
            .order_by("-at", "-id"))
    return staff_on_duty(office, on=day).annotate(
        last_action=Subquery(last.values("action")[:1], output_field=CharField()),
        last_at=Subquery(last.values("at")[:1], output_field=DateTimeField()),
    )


def step_label(action: str | None):
    """The board's words for a counter step's trail action ('' for none)."""
    return STEP_LABELS.get(action, "") if action else ""


def capacity_history(office: Office, *, limit: int = HISTORY_LENGTH) -> QuerySet[Event]:
    """The office's latest capacity changes, closures and reopenings, newest first, each with
    the acting officer's name (``actor_name``): who, old, new, why, when (one query)."""
    name = StaffProfile.objects.filter(nip=OuterRef("actor_id")).values("name")[:1]
    return (Event.objects.filter(office_id=office.pk, action__in=CAPACITY_ACTIONS)
            .annotate(actor_name=Case(When(actor_type=ActorType.STAFF, then=Subquery(name)),
                                      default=Value(""), output_field=CharField()))
            .order_by("-at", "-id")[:limit])
