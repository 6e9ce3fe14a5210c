"""Template filters of the auditors' workbench: times in an office's own zone with its label."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.utils.formats import date_format, time_format

from offices.choices import ZONE_LABELS

register = template.Library()


@register.filter
def office_time(at, office=None) -> str:
    """``at`` in ``office``'s zone with its label (WIB, WITA, WIT); the portal's zone without an office."""
    if at is None:
        return "—"
    zone_name = office.timezone if office is not None else settings.TIME_ZONE
    local = at.astimezone(ZoneInfo(zone_name))
    return f"{date_format(local, 'j M Y')} {time_format(local)} {ZONE_LABELS.get(zone_name, zone_name)}"
