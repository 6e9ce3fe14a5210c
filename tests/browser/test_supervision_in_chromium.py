"""The supervisors' pages in a real Chromium: a supervisor passes the second factor, opens the network
at a glance with its trend charts, drills down province → Kanim → units, sets a directive and follows
it; screenshots go to supervision-*.png."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from audit.models import Event
from bookings.models import ClearanceDirective
from tests.browser.conftest import screenshot, sign_in
from tests.builders import PASSWORD
from tests.pages.conftest import current_code

# A round-the-clock office with a waiting walk-in, a served one and online bookings (see there).
from tests.pages.supervision.conftest import applicant_user, booking_calendar, counter, week  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def indonesian_default():
    """Run the live server with the production default language."""
    with override_settings(LANGUAGE_CODE="id"):
        yield


def _second_factor(page, user) -> None:
    """Enrol the authenticator on the setup page the portal sends a supervisor to."""
    page.wait_for_url("**/account/two-factor/setup/**")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.fill("#code", current_code(device))
    page.click(".code-form button")
    page.wait_for_load_state("networkidle")


def test_supervisor_drills_down_and_sets_a_directive(network, week, page):  # noqa: F811
    office = week.counter.office
    sign_in(page, network.supervisor, PASSWORD)
    _second_factor(page, network.supervisor)
    page.click("nav.mainnav a[href='/supervision/']")
    page.wait_for_url("**/supervision/")
    assert page.locator("#totals [data-figure=waiting]").inner_text() == "1"
    # the trend charts are drawn by uPlot from their JSON blocks
    expect(page.locator("figure[data-chart=trend-counts] .uplot")).to_have_count(1)
    expect(page.locator("figure[data-chart=trend-flagged] .uplot")).to_have_count(1)
    screenshot(page, "supervision-overview")

    page.click("#province-table a[href='/supervision/provinces/31/']")
    page.wait_for_url("**/supervision/provinces/31/")
    assert set(page.locator("#network-table td.code a").all_inner_texts()) == {"KANIM-A", office.code}
    screenshot(page, "supervision-province")

    page.click("#network-table a[href='/supervision/offices/KANIM-A/']")
    page.wait_for_url("**/supervision/offices/KANIM-A/")
    assert page.locator("#network-table td.code a").all_inner_texts() == ["ULP-A1"]
    assert page.locator(".clock .zone").inner_text() == "WIB"
    screenshot(page, "supervision-kanim")

    page.goto(f"/supervision/offices/{office.code}/")
    page.fill("#id_within_days", "3")
    page.fill("#id_note", "Layani semua pemohon yang menunggu")
    page.check("#id_extra_service_allowed")
    page.click("#directive-form button[type=submit]")
    page.wait_for_url(f"**/supervision/offices/{office.code}/")
    expect(page.locator("#directive-in-force [data-status]")).to_have_count(1)
    assert ClearanceDirective.objects.filter(office=office, superseded_at__isnull=True).exists()
    assert Event.objects.filter(action="DIRECTIVE_SET", target_id=office.code).count() == 1
    screenshot(page, "supervision-directive-set")

    page.goto("/supervision/directives/")
    expect(page.locator(f"#directive-table tr[data-code='{office.code}']")).to_have_count(1)
    screenshot(page, "supervision-directives")
    assert page.console_errors == []


def test_the_network_table_filters_in_place_with_htmx(network, week, page):  # noqa: F811
    sign_in(page, network.supervisor, PASSWORD)
    _second_factor(page, network.supervisor)
    page.goto("/supervision/offices/")
    expect(page.locator("#network-table tbody tr[data-code]")).to_have_count(4)
    page.evaluate("window.__marker = 'same page'")
    page.select_option("select[name=type]", "ULP")
    expect(page.locator("#network-table tbody tr[data-code]")).to_have_count(1)
    assert page.evaluate("window.__marker") == "same page"
    assert "type=ULP" in page.url
    page.select_option("select[name=type]", "")
    expect(page.locator("#network-table tbody tr[data-code]")).to_have_count(4)
    page.click("#network-table th a[href*='sort=-waiting'], #network-table th a[href*='sort=waiting']")
    expect(page.locator("#network-table th[aria-sort]")).to_have_count(1)
    screenshot(page, "supervision-offices")
    assert page.console_errors == []
