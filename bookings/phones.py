"""Indonesian phone numbers, stored in one form: ``+62`` followed by the national number."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# After the country code an Indonesian mobile number is 8 followed by 8 to 11 digits.
NATIONAL_NUMBER = re.compile(r"^8[0-9]{8,11}$")
SEPARATORS = re.compile(r"[\s\-().]")


def phone_normalise(raw: str) -> str:
    """``08…``, ``+628…`` or ``628…`` (spaces and dashes allowed) as ``+628…``.

    Raises ValidationError naming the accepted forms for anything else.
    """
    number = SEPARATORS.sub("", raw or "")
    if number.startswith("+62"):
        national = number[3:]
    elif number.startswith("62"):
        national = number[2:]
    elif number.startswith("0"):
        national = number[1:]
    else:
        raise ValidationError(
            _("Give an Indonesian mobile number starting with 08, +628 or 628."), code="phone_format")
    if not NATIONAL_NUMBER.match(national):
        raise ValidationError(
            _("An Indonesian mobile number is 08 followed by 8 to 11 digits (or +628…, 628…)."),
            code="phone_format")
    return f"+62{national}"
