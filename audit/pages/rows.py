"""Events as the audit pages show them: local time with its zone, links, masked details.

Times are shown in the zone of the office where the event happened (WIB, WITA, WIT), with
seconds: order within a minute matters to an auditor. Events with no office use the
portal's zone. Everything personal in targets and details is masked, as the API does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import orjson
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format, get_format, time_format

from audit.actions import ActorType
from audit.masking import masked
from offices.choices import ZONE_LABELS

DETAILS_SHOWN = 160


@dataclass(frozen=True)
class EventRow:
    """One event ready for a template: nothing in it needs another query."""

    event: object
    local_at: dt.datetime
    clock: str
    zone: str
    actor_url: str | None
    booking_url: str | None
    target: str
    details: str
    details_short: str


def local_clock(at: dt.datetime, office) -> tuple[dt.datetime, str, str]:
    """``at`` in the office's zone (the portal's without one), as text with seconds, and its label."""
    zone_name = office.timezone if office is not None else settings.TIME_ZONE
    local = at.astimezone(ZoneInfo(zone_name))
    # The language's own clock (07.30 or 07:30) with seconds after the same separator.
    clock_format = get_format("TIME_FORMAT")
    separator = "." if "." in clock_format else ":"
    text = f"{date_format(local, 'SHORT_DATE_FORMAT')} {time_format(local, clock_format + separator + 's')}"
    return local, text, ZONE_LABELS.get(zone_name, zone_name)


def booking_url(identifier: str) -> str | None:
    try:
        return reverse("audit:booking-timeline", kwargs={"code": identifier})
    except NoReverseMatch:  # an imported ref with a slash: searchable, not linkable
        return None


def event_row(event) -> EventRow:
    """``event`` from the search selector (``actor_staff_id`` annotated) as a row."""
    local, clock, zone = local_clock(event.at, event.office)
    staff_id = getattr(event, "actor_staff_id", None)
    actor_url = (reverse("audit:staff-timeline", kwargs={"pk": staff_id})
                 if event.actor_type == ActorType.STAFF and staff_id else None)
    target_id = masked(event.target_id)
    is_booking = event.target_type in ("booking", "bookings_booking") and event.target_id
    details = orjson.dumps(masked(event.details), option=orjson.OPT_SORT_KEYS).decode() \
        if event.details else ""
    short = details if len(details) <= DETAILS_SHOWN else details[:DETAILS_SHOWN - 1] + "…"
    return EventRow(
        event=event, local_at=local, clock=clock, zone=zone, actor_url=actor_url,
        booking_url=booking_url(event.target_id) if is_booking else None,
        target=f"{event.target_type}:{target_id}" if event.target_type else target_id,
        details=details, details_short=short,
    )
