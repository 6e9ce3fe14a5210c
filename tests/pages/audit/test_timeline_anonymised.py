"""A booking anonymised by retention: its timeline says so and offers no personal data to open."""

import datetime as dt

import pytest

from bookings.retention import bookings_anonymise
from bookings.services import booking_cancel
from tests.bookings import builders as booking_builders
from tests.bookings.retention.aging import DAYS, age, cutoff


@pytest.fixture
def anonymised(network, applicant_user, day):
    booking = booking_builders.booking(applicant_user, network.kanim_a, day, name="Ani Rahmawati")
    booking_cancel(actor=applicant_user, booking=booking)
    age(booking, cutoff() - dt.timedelta(days=1))
    bookings_anonymise(days=DAYS)
    booking.refresh_from_db()
    return booking


def test_the_timeline_of_an_anonymised_booking_says_its_data_were_removed(network, anonymised, as_user):
    html = as_user(network.auditor).get(f"/audit/bookings/{anonymised.code}/").content.decode()
    assert "Personal data removed at the end of the retention period" in html
    assert '<form method="post" class="inline-form">' not in html and "Ani Rahmawati" not in html
    assert anonymised.code in html and "KANIM-A" in html


def test_a_booking_still_holding_its_data_offers_to_open_them(network, applicant_user, day, as_user):
    booking = booking_builders.booking(applicant_user, network.kanim_a, day)
    html = as_user(network.auditor).get(f"/audit/bookings/{booking.code}/").content.decode()
    assert '<form method="post" class="inline-form">' in html and "retention period" not in html
