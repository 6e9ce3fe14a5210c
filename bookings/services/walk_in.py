"""Walk-ins: an officer inserts a booking at the counter, taking capacity like any booking."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.trail import EventDraft, actor_for_user
from bookings.calendar import local_datetime, slot_windows
from bookings.choices import Channel, RefusalReason
from bookings.errors import BookingRefused, DomainError
from bookings.models import Booking
from offices.access import Capability, require
from offices.models import Office
from passport_portal.request_meta import NO_REQUEST, RequestMeta

from .applicants import Applicant, applicant_validate
from .booking import booking_insert, service_errors
from .refusals import refusal_record
from .slots import slot_find

WALK_IN_CHANNELS = (Channel.WALK_IN, Channel.PRIORITY)


def current_slot_time(office: Office, now: dt.datetime) -> dt.time:
    """The start of the slot ``now`` falls in; the first slot before opening.

    After the last slot has ended there is none: the walk-in is refused (``slot_in_past``).
    """
    day = office.local_date(now)
    windows = slot_windows(office)
    for start, end in windows:
        if now < local_datetime(office, day, end):
            return start
    raise BookingRefused(_("The office's last slot today has ended."),
                         code=RefusalReason.SLOT_IN_PAST, extra={"field": "slot"})


def walk_in_insert(*, actor, office: Office, applicant: Applicant, service: str,
                   channel: str = Channel.WALK_IN, slot_time: dt.time | None = None,
                   meta: RequestMeta = NO_REQUEST) -> Booking:
    """Book today's slot (the current one unless ``slot_time`` is given) for a walk-in.

    Only an officer or head with OPERATE at ``office`` may; the booking has no account and
    takes a place through the same conditional UPDATE as an online booking. Refusals are
    recorded as BOOK_REFUSED by the officer.
    """
    require(actor, Capability.OPERATE, office.pk)
    event_actor = actor_for_user(actor, office=office)
    now = timezone.now()
    today = office.local_date(now)
    chosen = slot_time
    try:
        also = service_errors(service)
        if channel not in WALK_IN_CHANNELS:
            also["channel"] = [_("A walk-in is WALK_IN or PRIORITY.")]
        applicant = applicant_validate(applicant, also=also)
        chosen = slot_time or current_slot_time(office, now)
        slot_id = slot_find(office=office, service_date=today, slot_time=chosen, now=now,
                            check_release=False, allow_started=True)
        booking = Booking(
            account=None, office=office, service_date=today, slot_time=chosen, service=service,
            channel=channel, nik=applicant.nik, name=applicant.name, birth_date=applicant.birth_date,
            phone=applicant.phone, email=applicant.email, created_at=now, ip=meta.ip,
            created_by=getattr(actor, "staff", None),
        )

        def event(saved: Booking) -> EventDraft:
            return EventDraft(
                actor=event_actor, action=Action.WALK_IN_INSERT, office=office,
                target_type="booking", target_id=saved.ref,
                details={"code": saved.code, "date": today, "slot": chosen.strftime("%H:%M"),
                         "service": service, "channel": channel},
                meta=meta, at=now,
            )

        return booking_insert(booking=booking, slot_id=slot_id, event=event)
    except (DomainError, ValidationError) as exc:
        refusal_record(actor=event_actor, exc=exc, office=office, target_type="office",
                       target_id=office.code, service_date=today, slot_time=chosen,
                       nik=applicant.nik, channel=channel, meta=meta)
        raise
