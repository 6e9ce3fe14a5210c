"""The office head's pages in a real Chromium: the day's board with its live queue, and a slot's
capacity changed with a reason and found in the history; screenshots go to office-*.png."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from audit.models import Event
from bookings.models import Slot
from tests.bookings.builders import BIRTH, nik_for
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


def test_head_opens_today_s_board_and_the_queue_refreshes_in_place(network, page):
    waiting = through(walk_in(network, 1), "check_in", actor=network.officer_a)
    sign_in(page, network.head_a, PASSWORD)
    page.click("nav.mainnav a[href='/office/']")
    page.wait_for_url("**/office/")
    screenshot(page, "office-pick")
    page.click("#offices a[href='/office/KANIM-A/']")
    page.wait_for_url("**/office/KANIM-A/")
    assert page.locator(".clock .zone").inner_text() == "WIB"
    expect(page.locator("#serving-order tr[data-code]")).to_have_count(1)
    assert page.locator("#serving-order tr[data-code] td.code").inner_text() == waiting.code
    screenshot(page, "office-board")

    page.evaluate("window.__marker = 'same page'")
    priority = through(walk_in(network, 2, channel="PRIORITY"), "check_in", actor=network.officer_a)
    page.click("#queue a[hx-get$='/queue/']")
    expect(page.locator("#serving-order tr[data-code]")).to_have_count(2)
    codes = page.locator("#serving-order tr[data-code] td.code").all_inner_texts()
    assert codes == [priority.code, waiting.code]  # priority lane first
    assert page.evaluate("window.__marker") == "same page"  # swapped by htmx, no reload

    page.click("nav.tabs a[href='/office/KANIM-A/backlog/']")
    expect(page.locator("#flag-counts tbody tr")).to_have_count(5)
    assert page.locator("[data-figure=waiting]").inner_text() == "2"
    screenshot(page, "office-backlog")
    assert page.console_errors == []


def test_head_changes_a_slot_s_capacity_with_a_reason_and_sees_it_in_the_history(network, page):
    sign_in(page, network.head_a, PASSWORD)
    page.goto("/office/KANIM-A/")
    page.click("nav.tabs a[href='/office/KANIM-A/capacity/']")
    page.wait_for_url("**/office/KANIM-A/capacity/")
    page.click("#slot-table tr[data-slot='09:00'] a")
    assert page.locator("#id_slot").input_value() == "09:00"
    page.fill("#id_capacity", "15")
    page.click("#change-form button[type=submit]")
    expect(page.locator("#id_reason-error")).to_be_visible()  # no reason: refused, nothing changed
    screenshot(page, "office-capacity-reason-required")
    assert not Event.objects.filter(action="QUOTA_CHANGE").exists()
    # the refusal is answered 400, which the browser logs; nothing else may be (CSP violations)
    assert [e for e in page.console_errors if "status of 400" not in e] == []
    page.console_errors.clear()

    page.fill("#id_reason", "Second counter opened")
    page.click("#change-form button[type=submit]")
    page.wait_for_url("**#history")
    first = page.locator("#history-table tbody tr").first
    expect(first).to_contain_text("Second counter opened")
    expect(first).to_contain_text(network.head_a.staff.name)
    assert page.locator("#slot-table tr[data-slot='09:00'] td.num").nth(1).inner_text() == "15"
    screenshot(page, "office-capacity-history")
    today = network.kanim_a.local_date()
    assert Slot.objects.get(office=network.kanim_a, service_date=today, starts_at=dt.time(9, 0)).capacity == 15

    tomorrow = today + dt.timedelta(days=1)
    page.fill("#day-form input[name=date]", tomorrow.isoformat())
    page.click("#day-form button[type=submit]")
    page.wait_for_url(f"**date={tomorrow.isoformat()}")
    assert page.locator("#slot-table tr[data-slot='09:00'] td.num").nth(1).inner_text() == "7"
    assert page.console_errors == []


def test_officer_books_a_walk_in_and_finds_it_on_the_board(network, page):
    sign_in(page, network.officer_a, PASSWORD)
    page.click("nav.mainnav a[href='/office/']")
    page.wait_for_url("**/office/KANIM-A/")  # one office: straight to its board
    assert page.locator("nav.tabs a[href$='/capacity/']").count() == 0
    page.click("nav.tabs a[href$='/walk-ins/']")
    page.fill("#id_nik", nik_for(77))
    page.fill("#id_name", "Siti Aminah")
    page.fill("#id_birth_date", BIRTH.isoformat())
    page.fill("#id_phone", "081211112222")
    page.select_option("#id_slot", "08:00")
    screenshot(page, "office-walk-in")
    page.click("#walk-in-form button[type=submit]")
    page.wait_for_url("**/office/KANIM-A/")
    expect(page.locator("#slot-table tr[data-slot='08:00'] .booking")).to_have_count(1)
    assert page.console_errors == []
