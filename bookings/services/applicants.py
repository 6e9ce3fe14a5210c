"""Validation of the person a booking is for: NIK, birth date, name and contacts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.choices import RefusalReason
from bookings.errors import BookingRefused
from bookings.identity import nik_problem
from bookings.phones import phone_normalise


@dataclass(frozen=True, slots=True)
class Applicant:
    """The person a booking is for, as given by the applicant or the officer."""

    nik: str
    name: str
    birth_date: dt.date
    phone: str
    email: str = ""


def applicant_validate(applicant: Applicant, *, also: dict[str, list[str]] | None = None) -> Applicant:
    """The applicant with the phone normalised; refuses a bad NIK first, then bad fields.

    A broken NIK rule raises ``BookingRefused`` naming the rule (``extra.rule``); other
    fields raise ``ValidationError`` with a message per field, together with the caller's
    own field errors (``also``), so one answer lists every field to fix.
    """
    nik = (applicant.nik or "").strip()
    problem = nik_problem(nik, applicant.birth_date)
    if problem is not None:
        code = (RefusalReason.NIK_BIRTH_DATE_MISMATCH if problem.rule == "birth_date_mismatch"
                else RefusalReason.NIK_INVALID)
        raise BookingRefused(problem.message, code=code, extra={"field": "nik", "rule": problem.rule})
    errors: dict[str, list[str]] = dict(also or {})
    name = (applicant.name or "").strip()
    if not name or len(name) > 200:
        errors["name"] = [_("Give the applicant's name as on the KTP (at most 200 characters).")]
    if applicant.birth_date > timezone.now().date():
        errors["birth_date"] = [_("The birth date cannot be in the future.")]
    phone = ""
    try:
        phone = phone_normalise(applicant.phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    email = (applicant.email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Give a valid e-mail address or leave it empty.")]
    if errors:
        raise ValidationError(errors)
    return Applicant(nik=nik, name=name, birth_date=applicant.birth_date, phone=phone, email=email)
