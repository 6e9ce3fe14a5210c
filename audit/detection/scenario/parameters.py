"""Every knob of a scenario in one frozen dataclass, with the size presets.

Rates are shares of bookings unless named otherwise. The presets pick an office subset and a
window that the booking count fits; ``--bookings N`` without a preset uses the whole sample
network and a window long enough for N at the normal fill.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

#: The capital region's Kanim (Jakarta, Bogor, Depok, Bekasi, Tangerang, Soekarno-Hatta,
#: Serang): eleven offices, like the eleven of 125 the 2017 bot flood hit.
CAPITAL_REGION = (
    "KANIM-JAKARTA-PUSAT",
    "KANIM-JAKARTA-UTARA",
    "KANIM-JAKARTA-BARAT",
    "KANIM-JAKARTA-SELATAN",
    "KANIM-JAKARTA-TIMUR",
    "KANIM-BOGOR",
    "KANIM-DEPOK",
    "KANIM-BEKASI",
    "KANIM-TANGERANG",
    "KANIM-SOEKARNO-HATTA",
    "KANIM-SERANG",
)

#: A Monday in the autumn of 2017, when the queue was clogged.
DEFAULT_START = dt.date(2017, 11, 6)


@dataclass(frozen=True)
class ScenarioParameters:
    """What to generate: size, window, offices and the rates of every pattern, planted or normal."""

    bookings: int
    seed: int = 1
    start: dt.date = DEFAULT_START
    days: int | None = None  # None: long enough for ``bookings`` at ``fill``
    offices: tuple[str, ...] | None = None  # None: the whole sample network
    size: str | None = None  # the preset's name, for the record

    # Ordinary demand and outcomes.
    fill: float = 0.85  # share of the daily quota booked when the window is derived
    walk_in_rate: float = 0.03
    priority_rate: float = 0.02  # priority walk-ins (elderly, disabled, pregnant, infants)
    family_rate: float = 0.12  # online bookings made in family groups of 2–5 on one account
    no_show_rate: float = 0.07
    cancel_rate: float = 0.03  # the applicant cancels online
    staff_cancel_rate: float = 0.003
    reschedule_rate: float = 0.01
    reject_rate: float = 0.02
    absence_rate: float = 0.05  # an officer off on a working day
    quota_change_rate: float = 0.02  # an office head's ordinary quota change, per office and day
    booking_lead_days: tuple[int, int] = (1, 21)
    handover_working_days: tuple[int, int] = (3, 5)

    # Fictitious applications: 72,000 of 3.1 million in 2017.
    fictitious_rate: float = 72_000 / 3_100_000
    bot_share: float = 0.75  # of the fictitious budget, booked by bots
    bot_band_accounts: tuple[int, int, int] = (8, 8, 4)  # in bands 50–100, 100–1,000, 1,000–4,000
    bot_window_days: int = 30  # how far ahead a bot books

    # Broker rings and colluding staff.
    rings: int = 1
    ring_accounts: tuple[int, int] = (3, 6)
    ring_bookings_per_day: tuple[int, int] = (2, 6)
    ring_slot_handover_rate: float = 0.3  # per ring and working day
    ring_walk_in_rate: float = 0.25
    ring_quota_raise_rate: float = 0.15
    ring_shared_login_rate: float = 0.3
    ring_skip_interview_rate: float = 0.35
    ring_before_opening_rate: float = 0.25
    ring_four_eyes_break_rate: float = 0.6
    ring_broker_collects_rate: float = 0.8

    # Normal patterns that look unusual.
    agencies: int = 1
    agency_group: tuple[int, int] = (30, 50)
    agency_group_rate: float = 0.15  # per agency and working day
    directive_office_share: float = 0.2  # offices ordered to clear their backlog
    directive_days: int = 14
    directive_quota_factor: float = 1.5
    directive_extra_hours: int = 3

    def with_overrides(self, **changes) -> ScenarioParameters:
        """A copy with some values changed (None values are ignored)."""
        return replace(self, **{key: value for key, value in changes.items() if value is not None})

    def as_dict(self) -> dict:
        """Plain JSON-ready values, written into the ground truth."""
        values = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            values[name] = (
                value.isoformat()
                if isinstance(value, dt.date)
                else (list(value) if isinstance(value, tuple) else value)
            )
        return values


TINY_OFFICES = (
    "KANIM-JAKARTA-SELATAN",
    "ULP-KOTA-KASABLANKA",
    "KANIM-DENPASAR",
    "KANIM-JAYAPURA",
    "KANIM-MIMIKA",
    "UKK-NABIRE",
)
SMALL_OFFICES = (
    "KANIM-JAKARTA-PUSAT",
    "KANIM-JAKARTA-UTARA",
    "KANIM-JAKARTA-BARAT",
    "KANIM-JAKARTA-SELATAN",
    "KANIM-JAKARTA-TIMUR",
    "ULP-KOTA-KASABLANKA",
    "ULP-GRAND-INDONESIA",
    "MPP-DKI-JAKARTA",
    "KANIM-TANGERANG",
    "KANIM-DENPASAR",
    "KANIM-MAKASSAR",
    "KANIM-JAYAPURA",
    "KANIM-MIMIKA",
    "UKK-NABIRE",
)

SIZES: dict[str, ScenarioParameters] = {
    "tiny": ScenarioParameters(
        bookings=3_000,
        days=7,
        offices=TINY_OFFICES,
        size="tiny",
        rings=1,
        agencies=1,
        bot_band_accounts=(1, 1, 1),
        directive_office_share=0.2,
        agency_group_rate=0.5,
        ring_quota_raise_rate=0.6,
        bot_share=0.6,
    ),
    "small": ScenarioParameters(
        bookings=20_000,
        days=14,
        offices=SMALL_OFFICES,
        size="small",
        rings=2,
        agencies=2,
        bot_band_accounts=(2, 2, 2),
        agency_group_rate=0.3,
    ),
    "medium": ScenarioParameters(
        bookings=200_000, size="medium", rings=6, agencies=6, bot_band_accounts=(4, 4, 2)
    ),
    "large": ScenarioParameters(bookings=1_000_000, size="large", rings=12, agencies=12),
}
