"""Applicant page fixtures: the open booking calendar, an applicant signed in, helpers to read pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest

# Every day a working day, dates on sale two weeks ahead, generous rate limits; two applicants.
from tests.bookings.conftest import applicant_user, booking_calendar, other_applicant_user  # noqa: F401

EIGHT = dt.time(8, 0)


@pytest.fixture
def day(network) -> dt.date:
    """A date on sale at Kanim A: three days from the office's today."""
    return network.kanim_a.local_date() + dt.timedelta(days=3)


@pytest.fixture
def applicant_client(client, applicant_user):  # noqa: F811
    client.force_login(applicant_user)
    return client


def booking_post(network, day: dt.date, **changes) -> dict:
    """A valid booking form for Kanim A at 08:00 on ``day`` (a NIK valid for 17 May 1990)."""
    data = {"office": network.kanim_a.code, "date": day.isoformat(), "slot": "08:00", "service": "NEW",
            "nik": "3174011705900001", "name": "Ani Pemohon", "birth_date": "1990-05-17",
            "phone": "0812-3456-7890", "email": ""}
    return data | changes


def field_errors(html: str, form_id: str) -> dict[str, list[str]]:
    """The error messages shown beside each field of form ``form_id`` (by field id)."""
    form = re.search(rf'<form[^>]*id="{form_id}".*?</form>', html, re.S).group(0)
    errors: dict[str, list[str]] = {}
    for field_id, message in re.findall(r'<p class="field-error" id="([\w-]+)-error">(.*?)</p>', form, re.S):
        errors.setdefault(field_id, []).append(message.strip())
    return errors


def form_alert(html: str, form_id: str) -> str:
    """The message shown above the fields of form ``form_id`` ("" when none)."""
    match = re.search(rf'<div class="msg msg-error" role="alert" id="{form_id}-alert">(.*?)</div>', html, re.S)
    return match.group(1).strip() if match else ""
