"""The counter path: check-in → documents → biometrics → interview → decision → print → hand-over.

Each step is one conditional UPDATE from the status it follows (two officers cannot both
take the same step), by someone with OPERATE at the booking's office today, with its event
in the same transaction. The rules a broker needs an insider to break are enforced here:
the first step after check-in goes to the head of the queue (PRIORITY first, then by
check-in time); the approver is neither the document verifier nor the interviewer (four
eyes). Only an office head may break them, through ``booking_override`` with a reason, and
the trail says what was skipped. The database refuses any status change off the path
(trigger ``bookings_booking_status_path``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.trail import actor_for_user, event_record
from bookings.choices import BookingStatus
from bookings.errors import Conflict
from bookings.identity import nik_problem
from bookings.models import Booking
from bookings.models.booking import qr_payload_read
from bookings.selectors import office_queue
from offices.access import Capability, require
from passport_portal.request_meta import NO_REQUEST, RequestMeta

S = BookingStatus
#: The path in order; a step moves a booking to the next status on it.
PATH = (S.BOOKED, S.CHECKED_IN, S.DOCUMENTS_VERIFIED, S.BIOMETRICS_CAPTURED, S.INTERVIEWED,
        S.APPROVED, S.PRINTED, S.ISSUED)
IN_PROCESS = (S.CHECKED_IN, S.DOCUMENTS_VERIFIED, S.BIOMETRICS_CAPTURED, S.INTERVIEWED)


@dataclass(frozen=True, slots=True)
class Step:
    """One counter step: its event, the status it leads to and from, and where it is kept."""

    name: str
    action: Action
    to: BookingStatus
    after: tuple[BookingStatus, ...]
    at_field: str
    by_field: str


STEPS = {step.name: step for step in (
    Step("check_in", Action.CHECK_IN, S.CHECKED_IN, (S.BOOKED,), "checked_in_at", "checked_in_by"),
    Step("verify_documents", Action.VERIFY_DOCUMENTS, S.DOCUMENTS_VERIFIED, (S.CHECKED_IN,),
         "verified_at", "verified_by"),
    Step("capture_biometrics", Action.CAPTURE_BIOMETRICS, S.BIOMETRICS_CAPTURED, (S.DOCUMENTS_VERIFIED,),
         "biometrics_at", "biometrics_by"),
    Step("interview", Action.INTERVIEW, S.INTERVIEWED, (S.BIOMETRICS_CAPTURED,), "interviewed_at",
         "interviewed_by"),
    Step("approve", Action.APPROVE, S.APPROVED, (S.INTERVIEWED,), "approved_at", "approved_by"),
    Step("reject", Action.REJECT, S.REJECTED, IN_PROCESS, "rejected_at", "rejected_by"),
    Step("print", Action.PRINT, S.PRINTED, (S.APPROVED,), "printed_at", "printed_by"),
    Step("hand_over", Action.HAND_OVER, S.ISSUED, (S.PRINTED,), "handed_over_at", "handed_over_by"),
)}


#: The rule an override sets aside when the step it takes is the next one anyway.
SET_ASIDE = {Action.APPROVE: "four_eyes", Action.VERIFY_DOCUMENTS: "serving_order"}


def next_steps(status: str) -> list[str]:
    """The steps ``booking_step`` may take from ``status`` (rules about who and when aside)."""
    return [name for name, step in STEPS.items() if status in step.after]


def _override_from(step: Step) -> tuple[BookingStatus, ...]:
    """The statuses ``booking_override`` moves a booking from to take ``step``."""
    return PATH[1:PATH.index(step.to)] if step.to in PATH else IN_PROCESS


def override_steps(status: str) -> list[str]:
    """The steps ``booking_override`` takes from ``status``: those it skips to, and the next one
    where a rule can be set aside (serving order, four eyes)."""
    return [name for name, step in STEPS.items()
            if name != "check_in" and status in _override_from(step)
            and (_skipped(status, step) or step.action in SET_ASIDE)]


def _not_allowed(booking: Booking, step: Step) -> Conflict:
    return Conflict(_("A booking that is %(status)s cannot go to %(step)s.")
                    % {"status": booking.status, "step": step.name},
                    code="transition_not_allowed", extra={"status": booking.status})


def _skipped(current: str, step: Step) -> list[str]:
    """The steps between ``current`` and ``step`` that an override jumps over."""
    if step.to not in PATH or current not in PATH:
        return []
    skipped = PATH[PATH.index(current) + 1:PATH.index(step.to)]
    return [name for name, s in STEPS.items() if s.to in skipped]


def _collected_by(value: str) -> str:
    value = (value or "").strip()
    if value == "applicant":
        return value
    if nik_problem(value, None) is None:
        return value
    raise ValidationError({"collected_by": [_("Say 'applicant', or give the NIK of who collects it.")]})


def _write(*, booking: Booking, step: Step, staff_id, now, allowed_from, four_eyes: bool,
           collected_by: str = "") -> bool:
    """The conditional UPDATE; True when it moved the booking."""
    sets = [f"status = %s, {step.at_field} = %s, {step.by_field}_id = %s"]
    params: list = [step.to, now, staff_id]
    if collected_by:
        sets.append("collected_by = %s")
        params.append(collected_by)
    where = "id = %s AND status = ANY(%s)"
    params += [booking.pk, list(allowed_from)]
    if four_eyes:
        where += " AND verified_by_id IS DISTINCT FROM %s AND interviewed_by_id IS DISTINCT FROM %s"
        params += [staff_id, staff_id]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE bookings_booking SET {', '.join(sets)} WHERE {where}", params)  # noqa: S608
        return cursor.rowcount == 1


def _serving_order_breached(booking: Booking) -> bool:
    head = (office_queue(booking.office, booking.service_date).filter(status=S.CHECKED_IN)
            .values_list("pk", flat=True).first())
    return head is not None and head != booking.pk


def booking_step(*, actor, booking: Booking, step: str, reason: str = "", collected_by: str = "",
                 qr_payload: str = "", meta: RequestMeta = NO_REQUEST) -> Booking:
    """Take one step of the counter path on ``booking`` (409 when it is not the next one).

    ``reason`` is required to reject, ``collected_by`` to hand over; ``qr_payload``, when
    given at check-in, must be the booking's own signed code.
    """
    if step not in STEPS:
        raise ValidationError({"step": [_("Unknown step. Choose one of: %(steps)s.")
                                        % {"steps": ", ".join(STEPS)}]})
    spec = STEPS[step]
    require(actor, Capability.OPERATE, booking.office_id)
    now = timezone.now()
    details: dict = {}
    if spec.action == Action.REJECT:
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": [_("Say why the application is rejected.")]})
        details["reason"] = reason
    if spec.action == Action.HAND_OVER:
        collected_by = _collected_by(collected_by)
        details["collected_by"] = collected_by
    if spec.action == Action.CHECK_IN:
        if booking.service_date != booking.office.local_date(now):
            raise Conflict(_("Check-in is only on the booked day."), code="not_today")
        if qr_payload:
            try:
                if qr_payload_read(qr_payload).get("ref") != booking.ref:
                    raise signing.BadSignature
            except signing.BadSignature:
                raise ValidationError({"qr": [_("This QR code is not this booking's.")]}) from None
    if spec.action == Action.VERIFY_DOCUMENTS and _serving_order_breached(booking):
        raise Conflict(_("Serve the applicant at the head of the queue first (PRIORITY, then by "
                         "check-in time); an office head may override."), code="out_of_order")
    staff = getattr(actor, "staff", None)
    staff_id = staff.pk if staff else None
    with transaction.atomic():
        moved = _write(booking=booking, step=spec, staff_id=staff_id, now=now, allowed_from=spec.after,
                       four_eyes=spec.action == Action.APPROVE, collected_by=details.get("collected_by", ""))
        if not moved:
            booking.refresh_from_db()
            if spec.action == Action.APPROVE and booking.status in spec.after:
                raise Conflict(_("The approver must be neither the document verifier nor the "
                                 "interviewer (four eyes); an office head may override."), code="four_eyes")
            raise _not_allowed(booking, spec)
        event_record(actor=actor_for_user(actor, office=booking.office), action=spec.action,
                     office=booking.office_id, target_type="booking", target_id=booking.ref,
                     details=details, meta=meta, at=now)
    booking.refresh_from_db()
    return booking


def booking_override(*, actor, booking: Booking, step: str, reason: str, collected_by: str = "",
                     meta: RequestMeta = NO_REQUEST) -> Booking:
    """An office head takes ``step`` out of order, skipping steps or despite four eyes.

    Records OVERRIDE (``details.skipped``: the steps jumped over, or the rule set aside;
    ``details.reason``) and then the step's own event, in one transaction.
    """
    if step not in STEPS or step == "check_in":
        raise ValidationError({"step": [_("Choose a step after check-in.")]})
    spec = STEPS[step]
    require(actor, Capability.MANAGE, booking.office_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the rule is set aside.")]})
    now = timezone.now()
    details: dict = {"reason": reason} if spec.action == Action.REJECT else {}
    if spec.action == Action.HAND_OVER:
        details["collected_by"] = _collected_by(collected_by)
    staff = getattr(actor, "staff", None)
    staff_id = staff.pk if staff else None
    before = _override_from(spec)
    with transaction.atomic():
        current = (Booking.objects.select_for_update().values_list("status", flat=True).get(pk=booking.pk))
        skipped = _skipped(current, spec)
        if not skipped and current in spec.after:
            # The step is next: the only rules an override can set aside are four eyes
            # (approval) and serving order (the first step after check-in).
            if spec.action not in SET_ASIDE:
                raise ValidationError({"step": [_("Nothing to set aside: take this step normally.")]})
            skipped = [SET_ASIDE[spec.action]]
        if not _write(booking=booking, step=spec, staff_id=staff_id, now=now, allowed_from=before,
                      four_eyes=False, collected_by=details.get("collected_by", "")):
            booking.status = current
            raise _not_allowed(booking, spec)
        actor_record = actor_for_user(actor, office=booking.office)
        event_record(actor=actor_record, action=Action.OVERRIDE, office=booking.office_id,
                     target_type="booking", target_id=booking.ref,
                     details={"step": step, "skipped": skipped, "reason": reason, "from": current},
                     meta=meta, at=now)
        event_record(actor=actor_record, action=spec.action, office=booking.office_id,
                     target_type="booking", target_id=booking.ref,
                     details={**details, "override": True}, meta=meta, at=now)
    booking.refresh_from_db()
    return booking
