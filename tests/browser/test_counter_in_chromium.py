"""The board's counter buttons in a real Chromium: an officer checks a walk-in in and takes it a
step further by clicking, the queue swapped in place by htmx; a refused step shows its message.
Screenshots go to counter-*.png."""

from __future__ import annotations

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from audit.models import Event
from bookings.choices import BookingStatus
from bookings.models import Booking
from tests.browser.conftest import screenshot, sign_in
from tests.builders import PASSWORD
from tests.pages.office.conftest import booking_calendar, through, walk_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# booking_calendar (imported above) makes every day a working day, so today's slots are open.


@pytest.fixture(autouse=True)
def indonesian_default():
    """Run the live server with the production default language."""
    with override_settings(LANGUAGE_CODE="id"):
        yield


def _status(booking) -> str:
    return Booking.objects.values_list("status", flat=True).get(pk=booking.pk)


def test_officer_checks_in_and_advances_a_booking_by_clicking(network, page):
    booking = walk_in(network, 1)
    sign_in(page, network.officer_a, PASSWORD)
    page.goto("/office/KANIM-A/")
    expect(page.locator("#serving-order tr[data-code]")).to_have_count(0)
    page.evaluate("window.__marker = 'same page'")

    page.click(f"#slot-table .counter-actions[data-booking='{booking.code}'] form[data-step=check_in] button")
    row = page.locator(f"#serving-order tr[data-code='{booking.code}']")
    expect(row).to_have_count(1)
    expect(page.locator("#counter-done")).to_contain_text(booking.code)
    assert _status(booking) == BookingStatus.CHECKED_IN
    screenshot(page, "counter-checked-in")

    row.locator("form[data-step=verify_documents] button").click()
    expect(page.locator(f"#serving-order tr[data-code='{booking.code}'] form[data-step=capture_biometrics]")) \
        .to_have_count(1)
    assert _status(booking) == BookingStatus.DOCUMENTS_VERIFIED
    assert page.evaluate("window.__marker") == "same page"  # swapped by htmx, no reload
    events = Event.objects.filter(target_id=booking.ref).order_by("id").values_list("action", "actor_id")
    assert list(events)[-2:] == [("CHECK_IN", network.officer_a.staff.nip),
                                 ("VERIFY_DOCUMENTS", network.officer_a.staff.nip)]
    screenshot(page, "counter-documents-verified")
    assert page.console_errors == []


def test_a_step_out_of_serving_order_is_refused_on_the_board(network, page):
    first = through(walk_in(network, 2), "check_in", actor=network.officer_a)
    second = through(walk_in(network, 3), "check_in", actor=network.officer_a)
    sign_in(page, network.officer_a, PASSWORD)
    page.goto("/office/KANIM-A/")
    page.click(f"#serving-order tr[data-code='{second.code}'] form[data-step=verify_documents] button")
    expect(page.locator("#counter-refusal")).to_be_visible()
    screenshot(page, "counter-refused")
    assert _status(second) == _status(first) == BookingStatus.CHECKED_IN
    assert not Event.objects.filter(action="VERIFY_DOCUMENTS").exists()
    # the refusal is answered 409, which the browser logs; nothing else may be (CSP violations)
    assert [e for e in page.console_errors if "status of 409" not in e] == []
