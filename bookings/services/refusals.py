"""Every refused booking attempt goes into the trail (BOOK_REFUSED with its reason code).

The refusal is written on its own, after the attempt's transaction has rolled back: the
attempt left nothing behind, but the trail says it was made and why it failed. Detection reads
these to find bots and fictitious applications.
"""

from __future__ import annotations

import datetime as dt

from audit.actions import Action
from audit.trail import Actor, event_record
from bookings.errors import refusal_reason
from bookings.identity import mask_nik
from offices.models import Office
from passport_portal.request_meta import NO_REQUEST, RequestMeta


def refusal_record(*, actor: Actor, exc: Exception, office: Office | None, target_type: str,
                   target_id: str, service_date: dt.date | None = None,
                   slot_time: dt.time | None = None, nik: str = "", device: str | None = None,
                   channel: str = "", meta: RequestMeta = NO_REQUEST) -> None:
    """Record BOOK_REFUSED for ``exc``: reason code, rule, where and when, the NIK masked."""
    details = {
        "reason": refusal_reason(exc),
        "office": office.code if office else None,
        "date": service_date,
        "slot": slot_time.strftime("%H:%M") if slot_time else None,
        "nik": mask_nik(nik) if nik else None,
        "device": device or None,
    }
    if channel:
        details["channel"] = channel
    rule = getattr(exc, "extra", {}).get("rule") if hasattr(exc, "extra") else None
    if rule:
        details["rule"] = rule
    scopes = getattr(exc, "extra", {}).get("scopes") if hasattr(exc, "extra") else None
    if scopes:
        details["scopes"] = scopes
    if hasattr(exc, "message_dict"):
        details["fields"] = sorted(exc.message_dict)
    # The attempt left nothing behind: the event is all there is, one statement that commits alone.
    event_record(actor=actor, action=Action.BOOK_REFUSED, office=office, target_type=target_type,
                 target_id=target_id, details=details, meta=meta, alone=True)
