"""Recording that staff opened an applicant's personal data (UU PDP asks that it be known)."""

from __future__ import annotations

from audit.actions import Action
from audit.trail import actor_for_user, event_record
from bookings.models import Booking
from offices.access import Capability, require
from passport_portal.request_meta import NO_REQUEST, RequestMeta


def applicant_view_record(*, actor, booking: Booking, meta: RequestMeta = NO_REQUEST) -> None:
    """Record VIEW_APPLICANT before a member of staff is shown the NIK, birth date and contacts."""
    require(actor, Capability.VIEW, booking.office_id)
    event_record(actor=actor_for_user(actor, office=booking.office), action=Action.VIEW_APPLICANT,
                 office=booking.office_id, target_type="booking", target_id=booking.ref,
                 details={"fields": ["nik", "name", "birth_date", "phone", "email"]}, meta=meta,
                 alone=True)
