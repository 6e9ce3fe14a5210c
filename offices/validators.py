"""Validators for the network's identifiers."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NIP_PATTERN = re.compile(r"^\d{18}$")


def nip_problem(nip: str) -> str | None:
    """Return why ``nip`` is not a civil-servant number (NIP), or None when it is one.

    Layout: birth date YYYYMMDD, appointment YYYYMM, sex (1 or 2), serial of three digits.
    """
    if not isinstance(nip, str) or not NIP_PATTERN.match(nip):
        return _("A NIP has exactly 18 digits.")
    try:
        birth = dt.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return _("Digits 1–8 of a NIP must be a valid birth date (YYYYMMDD).")
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12 or year < 1900:
        return _("Digits 9–14 of a NIP must be the appointment year and month (YYYYMM).")
    if (year, month) < (birth.year, birth.month):
        return _("A NIP's appointment (digits 9–14) cannot precede its birth date.")
    if nip[14] not in "12":
        return _("Digit 15 of a NIP is the sex: 1 or 2.")
    if nip[15:18] == "000":
        return _("Digits 16–18 of a NIP are a serial number and cannot be 000.")
    return None


def validate_nip(value: str) -> None:
    problem = nip_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_nip")
