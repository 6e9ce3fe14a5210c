"""The applicants' pages in a real Chromium: register, book a free time (the day's slots swapped in by
htmx), see the booking with its QR code, cancel it; and a refusal shown on the form. Screenshots go
to applicant-*.png."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from audit.models import Event
from bookings.models import Account, Booking, Slot
from tests.bookings.builders import BIRTH, nik_for
from tests.browser.conftest import screenshot
from tests.builders import PASSWORD
from tests.pages.applicant.conftest import booking_calendar  # noqa: F401  (every day on sale)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def indonesian_default():
    """Run the live server with the production default language."""
    with override_settings(LANGUAGE_CODE="id"):
        yield


def _register(page, email: str) -> None:
    page.goto("/apply/")
    screenshot(page, "applicant-start")
    page.click("#start-register")
    page.wait_for_url("**/apply/register/")
    page.fill("#id_email", email)
    page.fill("#id_phone", "0812-3456-7890")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password_again", PASSWORD)
    screenshot(page, "applicant-register")
    page.click("#register-form button[type=submit]")
    page.wait_for_url("**/apply/book/")


def _choose_day(page, office: str, day: dt.date) -> None:
    """Pick the office and the date; htmx swaps the day's free times in without a reload."""
    page.evaluate("window.__marker = 'same page'")
    page.select_option("#id_office", office)
    page.fill("#id_date", day.isoformat())
    page.locator("#id_date").dispatch_event("change")
    expect(page.locator("#booking-form")).to_be_visible()
    page.wait_for_load_state("networkidle")  # no earlier answer still on its way to replace the form
    assert page.evaluate("window.__marker") == "same page"
    assert f"date={day.isoformat()}" in page.url  # the address follows, so the step can be shared


def _fill_person(page, serial: int) -> None:
    page.fill("#id_nik", nik_for(serial))
    page.fill("#id_name", "Ani Pemohon")
    page.fill("#id_birth_date", BIRTH.isoformat())
    page.fill("#id_phone", "0812-3456-7890")


def test_an_applicant_registers_books_sees_the_qr_code_and_cancels(network, page):
    day = network.kanim_a.local_date() + dt.timedelta(days=3)
    _register(page, "ani@example.invalid")
    account = Account.objects.get(email="ani@example.invalid")
    assert account.registration_device.startswith("web:")
    # The applicants' own menu, nothing of the staff's.
    assert page.locator("nav.mainnav a").evaluate_all("links => links.map(a => a.pathname)") == [
        "/apply/bookings/", "/apply/book/"]

    _choose_day(page, "KANIM-A", day)
    times = page.locator("#slots input[type=radio]")
    assert times.count() == Slot.objects.filter(office=network.kanim_a, service_date=day).count()
    page.check("#slots input[value='09:00']")
    _fill_person(page, 11)
    screenshot(page, "applicant-book")
    page.click("#book-submit")
    page.wait_for_url("**/apply/bookings/*/")
    booking = Booking.objects.get(account=account)
    assert (booking.slot_time, booking.device) == (dt.time(9, 0), account.registration_device)
    assert page.locator("#booking-code").inner_text() == booking.code
    expect(page.locator(f"#qr-{booking.code} svg")).to_be_visible()
    screenshot(page, "applicant-booking")

    page.click("nav.mainnav a[href='/apply/bookings/']")
    page.wait_for_url("**/apply/bookings/")
    expect(page.locator(f"#my-bookings tr[data-code='{booking.code}']")).to_be_visible()
    expect(page.locator(f"#my-bookings #qr-{booking.code} svg")).to_be_visible()
    screenshot(page, "applicant-my-bookings")

    page.click(f"#my-bookings tr[data-code='{booking.code}'] td.code a")
    page.wait_for_url(f"**/apply/bookings/{booking.code}/")
    page.click("#cancel-booking")
    page.wait_for_url("**/apply/bookings/")
    booking.refresh_from_db()
    assert booking.status == "CANCELLED"
    assert page.locator(f"#qr-{booking.code}").count() == 0
    screenshot(page, "applicant-cancelled")
    assert list(Event.objects.filter(actor_id=account.ref).order_by("id").values_list("action", flat=True)) == [
        "ACCOUNT_REGISTER", "ACCOUNT_LOGIN", "BOOK", "BOOKING_CANCEL"]
    assert page.console_errors == []


def test_a_refused_nik_is_named_beside_its_field(network, page):
    day = network.kanim_a.local_date() + dt.timedelta(days=3)
    _register(page, "budi@example.invalid")
    _choose_day(page, "KANIM-A", day)
    page.check("#slots input[value='08:00']")
    _fill_person(page, 12)
    page.fill("#id_birth_date", "1991-05-17")  # the NIK says 17 May 1990
    page.click("#book-submit")
    expect(page.locator("#id_nik-error")).to_be_visible()
    assert page.locator("#slots input[value='08:00']").is_checked()  # the choices are kept
    screenshot(page, "applicant-refused")
    assert not Booking.objects.exists()
    # The refusal answers 400 on purpose (Chromium logs it); nothing else may go wrong.
    assert [e for e in page.console_errors if "status of 400" not in e] == []


def test_an_applicant_is_kept_off_staff_pages(network, page):
    _register(page, "citra@example.invalid")
    page.goto("/")
    page.wait_for_url("**/apply/bookings/")
    assert page.console_errors == []
    assert page.goto("/network/").status == 404
