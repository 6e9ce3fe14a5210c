"""Ballots: opening one for an office-day, and entering it.

A ballot replaces first come, first served for one office-day (``slot_find`` refuses
first-come bookings for a day that has one). Entering asks what booking asks: the rate
limits, a valid NIK agreeing with the birth date, no active booking for the NIK, and room
under the account's cap, where an entry still waiting for its draw counts like a booking.
The draw, the bookings and the notices are in ``ballot_draw``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.trail import actor_for_user, event_record
from bookings.calendar import local_datetime
from bookings.choices import ACTIVE_STATUSES, RefusalReason
from bookings.errors import Conflict, DomainError
from bookings.identity import mask_nik
from bookings.models import Account, Ballot, BallotEntry, Booking
from bookings.models.ballot import BallotStatus, EntryOutcome
from offices.access import Capability, require
from offices.models import Office
from passport_portal.request_meta import NO_REQUEST, RequestMeta

from .accounts import account_actor, account_of
from .applicants import Applicant, applicant_validate
from .booking import service_errors
from .rate_limits import rate_limit_take
from .refusals import refusal_record

BALLOT_DAY_KEY = "ballot_one_per_office_day"
ENTRY_NIK_KEY = "ballot_entry_one_per_nik"


def office_aware(value: dt.datetime, office: Office) -> dt.datetime:
    """``value`` as an aware datetime: a naive one is read on the office's clock."""
    return value.replace(tzinfo=office.zone) if timezone.is_naive(value) else value


def _constraint_of(exc: IntegrityError) -> str:
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", "") or ""


def ballot_create(*, actor, office: Office, service_date: dt.date, opens_at: dt.datetime,
                  closes_at: dt.datetime, places: int | None = None,
                  meta: RequestMeta = NO_REQUEST) -> Ballot:
    """Release ``office``'s ``service_date`` by ballot, taking entries from ``opens_at`` to ``closes_at``.

    The window is given on the office's clock when naive. It must close in the future and
    before the service day begins (the draw and its bookings happen in between). ``places``
    caps the places drawn; without it every free place of the day at draw time is drawn.
    Needs MANAGE at the office. Records BALLOT_CREATE.
    """
    require(actor, Capability.MANAGE, office.pk)
    now = timezone.now()
    opens_at, closes_at = office_aware(opens_at, office), office_aware(closes_at, office)
    errors: dict[str, list[str]] = {}
    if closes_at <= opens_at:
        errors["closes_at"] = [_("The window closes after it opens.")]
    elif closes_at <= now:
        errors["closes_at"] = [_("The window must close in the future.")]
    day_starts = local_datetime(office, service_date, dt.time(0, 0))
    if closes_at > day_starts:
        errors.setdefault("closes_at", []).append(
            _("The window must close before the service day begins (%(day)s 00:00 office time).")
            % {"day": service_date.isoformat()})
    if places is not None and (not isinstance(places, int) or places < 1):
        errors["places"] = [_("Places is a whole number of at least 1, or empty for the whole day.")]
    if errors:
        raise ValidationError(errors)
    staff = getattr(actor, "staff", None)
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                office=office, service_date=service_date, opens_at=opens_at, closes_at=closes_at,
                places=places, created_by=staff, created_at=now)
            event_record(actor=actor_for_user(actor, office=office), action=Action.BALLOT_CREATE,
                         office=office, target_type="ballot", target_id=ballot.ref,
                         details={"date": service_date, "opens_at": opens_at, "closes_at": closes_at,
                                  "places": places}, meta=meta)
    except IntegrityError as exc:
        if _constraint_of(exc) == BALLOT_DAY_KEY:
            raise ValidationError({"service_date": [_("This office-day already has a ballot.")]}) from None
        raise
    return ballot


def _open_ballot_locked(ballot: Ballot, now: dt.datetime) -> Ballot:
    """The ballot re-read under a share lock, refusing outside its window.

    The share lock makes the draw (which updates the row) wait for entries in flight, so no
    entry can slip in after the entries were ranked.
    """
    ballot = Ballot.objects.raw("SELECT * FROM bookings_ballot WHERE id = %s FOR SHARE", [ballot.pk])[0]
    if ballot.status != BallotStatus.OPEN or now >= ballot.closes_at:
        raise Conflict(_("This ballot no longer takes entries."), code="ballot_closed")
    if now < ballot.opens_at:
        raise Conflict(_("This ballot takes entries from %(opens)s (office time).")
                       % {"opens": ballot.opens_at.astimezone(ballot.office.zone).strftime("%Y-%m-%d %H:%M")},
                       code="ballot_not_open", extra={"opens_at": ballot.opens_at.isoformat()})
    return ballot


def _room_under_cap(account_id: int) -> None:
    """Refuse when the account's bookings and waiting entries fill its cap (account row locked)."""
    account = Account.objects.select_for_update().get(pk=account_id)
    waiting = BallotEntry.objects.filter(account_id=account_id, outcome=EntryOutcome.PENDING).count()
    if account.active_bookings + waiting >= account.booking_cap:
        raise Conflict(
            _("This account already holds %(cap)s bookings and ballot entries, its limit.")
            % {"cap": account.booking_cap},
            code=RefusalReason.ACCOUNT_CAP_REACHED, extra={"cap": account.booking_cap})


def _no_active_booking(nik: str) -> None:
    code = (Booking.objects.filter(nik=nik, status__in=ACTIVE_STATUSES, imported=False)
            .values_list("code", flat=True).first())
    if code is not None:
        raise Conflict(_("This NIK already has an active booking."),
                       code=RefusalReason.NIK_HAS_ACTIVE_BOOKING, extra={"booking_code": code})


def ballot_enter(*, actor, ballot: Ballot, service: str, applicant: Applicant,
                 device: str | None = None, meta: RequestMeta = NO_REQUEST) -> BallotEntry:
    """Enter ``applicant`` in ``ballot`` from the signed-in applicant's account.

    One transaction: the ballot row is share-locked and its window checked, the account row
    locked and its cap checked (waiting entries count), then the entry inserted, where the
    unique ``ballot_entry_one_per_nik`` refuses a second entry for the NIK. Records
    BALLOT_ENTER; every refusal is recorded as BOOK_REFUSED, as for a booking attempt.
    """
    account = account_of(actor)
    device = (device or "").strip()[:128]
    event_actor = account_actor(account)
    office = ballot.office
    now = timezone.now()
    try:
        rate_limit_take(account_ref=account.ref, device=device, ip=meta.ip, now=now)
        applicant = applicant_validate(applicant, also=service_errors(service))
        _no_active_booking(applicant.nik)
        with transaction.atomic():
            ballot = _open_ballot_locked(ballot, now)
            _room_under_cap(account.pk)
            try:
                with transaction.atomic():
                    entry = BallotEntry.objects.create(
                        ballot=ballot, account=account, service=service, nik=applicant.nik,
                        name=applicant.name, birth_date=applicant.birth_date, phone=applicant.phone,
                        email=applicant.email, created_at=now, ip=meta.ip, device=device)
            except IntegrityError as exc:
                if _constraint_of(exc) == ENTRY_NIK_KEY:
                    raise Conflict(_("This NIK has already entered this ballot."),
                                   code="ballot_nik_entered") from None
                raise
            event_record(actor=event_actor, action=Action.BALLOT_ENTER, office=office,
                         target_type="ballot_entry", target_id=str(entry.pk),
                         details={"ballot": ballot.ref, "date": ballot.service_date,
                                  "service": service, "nik": mask_nik(applicant.nik),
                                  "device": device or None},
                         meta=meta, at=now)
        return entry
    except (DomainError, ValidationError) as exc:
        refusal_record(actor=event_actor, exc=exc, office=office, target_type="ballot",
                       target_id=ballot.ref, service_date=ballot.service_date,
                       nik=applicant.nik, device=device, meta=meta)
        raise
