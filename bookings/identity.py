"""Checking a NIK (the 16-digit national identity number) behind one small interface.

The portal checks structure and agreement with the birth date given; a population-registry
(Dukcapil) lookup can replace or extend the check later by naming another class in the
``NIK_CHECKER`` setting. Raw NIKs never leave this module in messages: they are masked.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

# Province codes as used in the first two digits (the statistics office's codes).
PROVINCE_CODES = frozenset(
    [*range(11, 20), 21, *range(31, 37), *range(51, 54), *range(61, 66), *range(71, 77),
     81, 82, *range(91, 97)]
)
SIXTEEN_DIGITS = re.compile(r"^[0-9]{16}$")


@dataclass(frozen=True, slots=True)
class NikProblem:
    """Why a NIK was refused: a stable rule code and a message that does not repeat the NIK."""

    rule: str
    message: str


class NikChecker(Protocol):
    """Anything that can judge a NIK for a person born on ``birth_date``."""

    def problem(self, nik: str, birth_date: dt.date | None) -> NikProblem | None:
        """The first rule ``nik`` breaks, or None when it passes."""


def mask_nik(nik: str) -> str:
    """The NIK as lists and logs show it: first six and last four digits (317401******0003)."""
    nik = nik or ""
    if len(nik) <= 10:
        return "*" * len(nik)
    return f"{nik[:6]}{'*' * (len(nik) - 10)}{nik[-4:]}"


def _day_month(nik: str) -> tuple[int, int, int, bool]:
    """Day, month, two-digit year and whether the holder is a woman (day + 40)."""
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    woman = day > 40
    return (day - 40 if woman else day), month, year, woman


class StructuralNikChecker:
    """The checks the portal can make on its own: shape, region codes, birth date, serial."""

    def problem(self, nik: str, birth_date: dt.date | None) -> NikProblem | None:
        if not isinstance(nik, str) or not SIXTEEN_DIGITS.match(nik):
            return NikProblem("length", _("A NIK has exactly 16 digits."))
        if int(nik[0:2]) not in PROVINCE_CODES:
            return NikProblem("province", _("Digits 1–2 of the NIK are not a province code."))
        if nik[2:4] == "00":
            return NikProblem("regency", _("Digits 3–4 of the NIK (regency or city) cannot be 00."))
        if nik[4:6] == "00":
            return NikProblem("district", _("Digits 5–6 of the NIK (district) cannot be 00."))
        if nik[12:16] == "0000":
            return NikProblem("serial", _("Digits 13–16 of the NIK (serial) cannot be 0000."))
        day, month, year, _woman = _day_month(nik)
        # The century comes from the birth date given; without one, a leap century (2000)
        # lets 29 February through, since some century makes it real.
        century = (birth_date.year // 100) * 100 if birth_date else 2000
        try:
            encoded = dt.date(century + year, month, day)
        except ValueError:
            return NikProblem(
                "birth_date_digits",
                _("Digits 7–12 of the NIK are not a birth date (DDMMYY, day + 40 for women)."),
            )
        if birth_date is not None and encoded != birth_date:
            return NikProblem(
                "birth_date_mismatch",
                _("The NIK's birth date (digits 7–12) differs from the birth date given."),
            )
        return None


@cache
def _checker_class(path: str) -> type:
    return import_string(path)


def nik_checker() -> NikChecker:
    """The configured checker (``NIK_CHECKER``)."""
    return _checker_class(settings.NIK_CHECKER)()


def nik_problem(nik: str, birth_date: dt.date | None = None) -> NikProblem | None:
    """The first rule ``nik`` breaks under the configured checker, or None."""
    return nik_checker().problem(nik, birth_date)
