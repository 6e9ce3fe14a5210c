"""Stable vocabularies of the office network. A code never changes meaning; new ones are appended."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OfficeType(models.TextChoices):
    """Kinds of service point: the Kanim and the units it supervises."""

    KANIM = "KANIM", _("Kanim (immigration office)")
    ULP = "ULP", _("ULP (passport service unit)")
    LTSP = "LTSP", _("LTSP (one-stop service centre)")
    UKK = "UKK", _("UKK (immigration work unit)")
    MPP = "MPP", _("MPP (public service mall)")


UNIT_TYPES = frozenset({OfficeType.ULP, OfficeType.LTSP, OfficeType.UKK, OfficeType.MPP})


class OfficeTimezone(models.TextChoices):
    """Indonesia's three zones; none observes daylight saving."""

    WIB = "Asia/Jakarta", "WIB (UTC+7)"
    WITA = "Asia/Makassar", "WITA (UTC+8)"
    WIT = "Asia/Jayapura", "WIT (UTC+9)"


#: The easternmost zone: its date is the latest, so its week holds every office's today.
EASTERNMOST_ZONE = OfficeTimezone.WIT.value

ZONE_LABELS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


class Role(models.TextChoices):
    """What a member of staff does under one assignment."""

    OFFICER = "OFFICER", _("Counter officer")
    OFFICE_HEAD = "OFFICE_HEAD", _("Office head")
    SUPERVISOR = "SUPERVISOR", _("Directorate supervisor")
    AUDITOR = "AUDITOR", _("Internal auditor")
