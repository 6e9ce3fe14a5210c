"""The audit pages in a real Chromium: an auditor passes the second factor, searches the trail
in place (htmx), opens a booking's timeline and the officer's; screenshots audit-*.png."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from audit.actions import Action
from audit.models import Event
from bookings.services import booking_cancel_by_staff
from tests.bookings import builders as booking_builders
from tests.bookings.conftest import booking_calendar  # noqa: F401  (an open booking calendar)
from tests.browser.conftest import screenshot, sign_in
from tests.builders import PASSWORD
from tests.pages.conftest import current_code, enrol

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def indonesian_default():
    with override_settings(LANGUAGE_CODE="id"):
        yield


@pytest.fixture
def cancelled(network):
    """A booking at Kanim A, cancelled by officer A: BOOK by the applicant, CANCEL by the officer."""
    day = network.kanim_a.local_date() + dt.timedelta(days=3)
    applicant = booking_builders.account_user("ani@example.invalid")
    booking = booking_builders.booking(applicant, network.kanim_a, day, name="Ani Rahmawati")
    return booking_cancel_by_staff(actor=network.officer_a, booking=booking, reason="duplicate")


def test_an_auditor_searches_the_trail_and_opens_the_timelines(network, cancelled, page):
    device = enrol(network.auditor)
    sign_in(page, network.auditor, PASSWORD)
    page.fill("#code", current_code(device, steps_ahead=1))
    page.click(".code-form button")
    page.wait_for_load_state("networkidle")

    page.click("nav.mainnav a[href='/audit/']")
    expect(page).to_have_url(re.compile(r"/audit/$"))
    page.fill("input[name=booking]", cancelled.code)
    page.press("input[name=booking]", "Enter")
    rows = page.locator("#results tr[data-event]")
    expect(rows).to_have_count(2)  # swapped in place, newest first: CANCEL, BOOK
    expect(page).to_have_url(re.compile(rf"/audit/\?.*booking={cancelled.code}"))  # pushed: shareable
    assert rows.first.locator(".tag").inner_text() == "CANCEL"
    assert "WIB" in rows.first.locator("td").first.inner_text()
    screenshot(page, "audit-search")

    rows.first.locator(f"a[href='/audit/bookings/{cancelled.ref}/']").click()
    page.wait_for_load_state("networkidle")
    assert cancelled.code in page.locator("h1").inner_text()
    assert "Ani Rahmawati" not in page.content()
    page.click("form.inline-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("dd.applicant").inner_text() == "Ani Rahmawati"
    assert Event.objects.filter(action=Action.VIEW_APPLICANT, actor_id=network.auditor.staff.nip,
                                target_id=cancelled.ref).count() == 1
    screenshot(page, "audit-booking-timeline")

    page.locator("#results tr[data-event] a[href^='/audit/staff/']").first.click()
    page.wait_for_load_state("networkidle")
    assert network.officer_a.staff.name in page.locator("h1").inner_text()
    expect(page.locator("#results tr[data-event] .tag", has_text="CANCEL")).to_have_count(1)
    screenshot(page, "audit-officer-timeline")
    assert page.console_errors == []


def test_an_officer_finds_no_audit_trail(network, page):
    sign_in(page, network.officer_a, PASSWORD)
    assert page.locator("nav.mainnav a[href='/audit/']").count() == 0
    assert page.goto("/audit/").status == 404
