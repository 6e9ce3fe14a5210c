"""Reads of the applicants' pages: the offices that take bookings, and what a day has on sale.

What is on sale follows the same rules as ``slot_find`` (bookings/services/slots.py), read
ahead of the attempt so the page offers only what can be booked: a released date, not a
ballot day, slots not started yet, not closed, with a place left. The attempt itself is still
judged by the service (a slot may fill up between the page and the click).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.calendar import local_datetime, released_at
from bookings.models import Ballot, Slot
from bookings.services import slots_materialise
from offices.models import Office


def offices_taking_bookings() -> QuerySet[Office]:
    """Active offices and units, by province then name (one query, for the office choice)."""
    return (Office.objects.filter(is_active=True).select_related("region")
            .order_by("region__name", "name"))


def office_choices(offices) -> list[tuple[str, list[tuple[str, str]]]]:
    """Offices grouped by province, as the choices of a select with option groups."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for office in offices:
        groups.setdefault(office.region.name, []).append((office.code, office.name))
    return list(groups.items())


@dataclass
class DayOnSale:
    """What an office-day offers an applicant now: its free slots, or why there are none."""

    office: Office
    day: dt.date
    slots: list[Slot] = field(default_factory=list)
    problem: str = ""
    full: int = 0  # slots of the day not started yet but already full


def day_on_sale(office: Office, day: dt.date, *, now: dt.datetime | None = None) -> DayOnSale:
    """The free, released, future slots of ``office`` on ``day``; ``problem`` says why none.

    Makes the day's slots when it is on sale and they do not exist yet, as the availability
    API does; a date not released yet makes nothing, so no one can fill the table ahead.
    """
    now = now or timezone.now()
    result = DayOnSale(office=office, day=day)
    if day < office.local_date(now):
        result.problem = _("That date has passed. Choose today or a later date.")
        return result
    opens = released_at(office, day)
    if now < opens:
        result.problem = (_("Places for %(date)s go on sale at %(opens)s (%(zone)s).")
                          % {"date": day.isoformat(), "opens": opens.strftime("%Y-%m-%d %H:%M"),
                             "zone": office.zone_label})
        return result
    if Ballot.objects.filter(office=office, service_date=day).exists():
        result.problem = (_("Places on %(date)s are given by ballot, not first come.")
                          % {"date": day.isoformat()})
        return result
    slots_materialise(office=office, service_date=day)
    later = [slot for slot in Slot.objects.filter(office=office, service_date=day).order_by("starts_at")
             if local_datetime(office, day, slot.starts_at) > now]
    open_ = [slot for slot in later if not slot.closed]
    result.slots = [slot for slot in open_ if slot.available > 0]
    result.full = len(open_) - len(result.slots)
    if not later:
        result.problem = _("No slot of that day is still to come. Choose a later date.")
    elif not open_:
        result.problem = _("The office does not serve on that day. Choose another date.")
    elif not result.slots:
        result.problem = _("Every slot of that day is taken. Choose another date.")
    return result
