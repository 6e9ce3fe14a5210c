"""What a finding rests on, read for the auditors' pages: its events, bookings, officers and cases.

A finding may name thousands of bookings (a large cluster); pages show the first ``SHOWN`` of
each kind with the total, so a page costs the same few queries whatever the finding's size.
Event details are masked (audit/masking.py): no NIK reaches a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from audit.masking import masked
from audit.models import Event
from bookings.models import Booking
from offices import access
from offices.access import Capability, Reach
from offices.models import StaffProfile

from .models import Case, Finding
from .selectors import case_list

SHOWN = 200


@dataclass
class Evidence:
    """The rows behind one finding, each list capped at ``SHOWN``; totals say how many there are."""

    events: list[Event] = field(default_factory=list)
    event_total: int = 0
    bookings: list[Booking] = field(default_factory=list)
    booking_total: int = 0
    officers: list[tuple[str, StaffProfile | None]] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    #: Booking ref → booking code, for the bookings the events are about (timelines go by code).
    booking_codes: dict[str, str] = field(default_factory=dict)


def evidence_rows(values) -> list[tuple[str, str]]:
    """Evidence figures as (name, text) pairs, nested objects flattened one level (masked)."""
    if not isinstance(values, dict):
        return [("", str(masked(values)))]
    rows = []
    for key, value in values.items():
        value = masked(value)
        if isinstance(value, dict):
            text = ", ".join(f"{k}: {v}" for k, v in value.items())
        elif isinstance(value, list):
            text = ", ".join(str(item) for item in value)
        else:
            text = str(value)
        rows.append((str(key).replace("_", " "), text))
    return rows


def finding_evidence(finding: Finding, *, user, reach: Reach | None = None) -> Evidence:
    """The events, bookings, officers and cases of ``finding`` that ``user`` may read."""
    events = (access.restrict(Event.objects.select_related("office"), user, Capability.AUDIT, reach=reach)
              .filter(id__in=finding.event_ids[:SHOWN]).order_by("at", "id"))
    bookings = (access.restrict(Booking.objects.select_related("office", "account"), user, Capability.VIEW,
                                reach=reach)
                .filter(ref__in=finding.booking_refs[:SHOWN]).order_by("service_date", "slot_time", "id")
                .only("ref", "code", "service_date", "slot_time", "status", "channel", "office__code",
                      "office__timezone", "account__ref"))
    staff = {s.nip: s for s in StaffProfile.objects.filter(nip__in=finding.staff_nips).only("nip", "name")}
    event_list = list(events)
    for event in event_list:
        event.details = masked(event.details)
    booking_list = list(bookings)
    codes = {b.ref: b.code for b in booking_list}
    missing = {e.target_id for e in event_list if e.target_type == "booking"} - set(codes)
    if missing:
        codes.update(Booking.objects.filter(ref__in=missing).values_list("ref", "code"))
    return Evidence(
        events=event_list, event_total=len(finding.event_ids),
        bookings=booking_list, booking_total=len(finding.booking_refs), booking_codes=codes,
        officers=[(nip, staff.get(nip)) for nip in finding.staff_nips],
        cases=list(case_list(user=user).filter(findings=finding).prefetch_related(None)),
    )
