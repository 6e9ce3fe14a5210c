"""Booking a slot online: rate limits, NIK, release window, then one atomic write.

The write is one transaction: insert the booking (the partial unique index refuses a NIK
that already has an active booking; the account trigger and its check constraint refuse a
booking past the account's cap), take the place with one conditional UPDATE, record BOOK.
The slot row is locked last and only until commit, which keeps the hot row's queue short.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.trail import EventDraft
from bookings.choices import ACTIVE_STATUSES, Channel, RefusalReason, Service
from bookings.errors import Conflict, DomainError
from bookings.models import Booking
from bookings.models.booking import new_booking_code
from offices.models import Office
from passport_portal.model_rows import RowWriter
from passport_portal.request_meta import NO_REQUEST, RequestMeta

from .accounts import account_actor, account_of
from .applicants import Applicant, applicant_validate
from .rate_limits import rate_limit_take
from .refusals import refusal_record
from .slots import slot_find, slot_take

NIK_INDEX = "booking_one_active_per_nik"
ACCOUNT_CAP_CHECK = "account_active_bookings_within_cap"
CODE_KEY = "bookings_booking_code_key"
CODE_ATTEMPTS = 3
# Every sale inserts one: its statement written once and run prepared, where the ORM would
# build it anew for every sale and the server plan it anew.
BOOKING_ROW = RowWriter(Booking)


def _constraint_of(exc: IntegrityError) -> str:
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", "") or ""


def _active_code_for(nik: str) -> str | None:
    return (Booking.objects.filter(nik=nik, status__in=ACTIVE_STATUSES, imported=False)
            .values_list("code", flat=True).first())


def service_errors(service: str) -> dict[str, list[str]]:
    """Field errors for an unknown service code (none for a known one)."""
    if service in Service.values:
        return {}
    return {"service": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Service.values)}]}


def booking_insert(*, booking: Booking, slot_id: int, event: Callable[[Booking], EventDraft],
                   then: Callable[[Booking], None] | None = None) -> Booking:
    """Insert ``booking`` into slot ``slot_id`` and record its event, all or nothing.

    ``event`` drafts the sale's event from the inserted booking; the statement that takes the
    place writes it. ``then`` does what else the sale changes, in the same transaction.
    Translates the database's refusals into answers: the NIK's active booking (409, with
    that booking's code and nothing about its owner), the account's cap (409).
    """
    booking.slot_id = slot_id
    for attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                BOOKING_ROW.insert(booking)
                slot_take(slot_id, recording=event(booking))
                if then is not None:
                    then(booking)
            return booking
        except IntegrityError as exc:
            booking.pk = None
            booking._state.adding = True
            constraint = _constraint_of(exc)
            if constraint == CODE_KEY and attempt + 1 < CODE_ATTEMPTS:
                booking.code = new_booking_code()
                continue
            if constraint == NIK_INDEX:
                raise Conflict(
                    _("This NIK already has an active booking."),
                    code=RefusalReason.NIK_HAS_ACTIVE_BOOKING,
                    extra={"booking_code": _active_code_for(booking.nik)},
                ) from None
            if constraint == ACCOUNT_CAP_CHECK:
                cap = booking.account.booking_cap if booking.account_id else None
                raise Conflict(
                    _("This account already holds %(cap)s active bookings, its limit. "
                      "Cancel one or wait until one is served.") % {"cap": cap},
                    code=RefusalReason.ACCOUNT_CAP_REACHED, extra={"cap": cap},
                ) from None
            raise
        except Conflict:
            booking.pk = None
            booking._state.adding = True
            raise
    raise AssertionError("unreachable")  # pragma: no cover


def booking_create(*, actor, office: Office, service_date: dt.date, slot_time: dt.time,
                   service: str, applicant: Applicant, device: str | None = None,
                   meta: RequestMeta = NO_REQUEST) -> Booking:
    """Book a place for ``applicant`` at ``office`` on ``service_date`` at ``slot_time``.

    ``actor`` is the signed-in applicant. Every refusal (rate limit, NIK, release window,
    full slot, duplicate NIK, account cap, bad field) is recorded as BOOK_REFUSED in its own
    transaction after the attempt rolled back, then raised to the caller.
    """
    account = account_of(actor)
    device = (device or "").strip()[:128]
    event_actor = account_actor(account)
    try:
        rate_limit_take(account_ref=account.ref, device=device, ip=meta.ip)
        applicant = applicant_validate(applicant, also=service_errors(service))
        slot_id = slot_find(office=office, service_date=service_date, slot_time=slot_time)
        booking = Booking(
            account=account, office=office, service_date=service_date, slot_time=slot_time,
            service=service, channel=Channel.ONLINE, nik=applicant.nik, name=applicant.name,
            birth_date=applicant.birth_date, phone=applicant.phone, email=applicant.email,
            created_at=timezone.now(), ip=meta.ip, device=device,
        )

        def event(saved: Booking) -> EventDraft:
            return EventDraft(
                actor=event_actor, action=Action.BOOK, office=office,
                target_type="booking", target_id=saved.ref,
                details={"code": saved.code, "date": service_date,
                         "slot": slot_time.strftime("%H:%M"), "service": service,
                         "channel": Channel.ONLINE, "device": device or None},
                meta=meta, at=saved.created_at,
            )

        return booking_insert(booking=booking, slot_id=slot_id, event=event)
    except (DomainError, ValidationError) as exc:
        refusal_record(actor=event_actor, exc=exc, office=office, target_type="account",
                       target_id=account.ref, service_date=service_date, slot_time=slot_time,
                       nik=applicant.nik, device=device, meta=meta)
        raise
