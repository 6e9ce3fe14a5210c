"""The portal in a real Chromium: each role signs in, sees what it should and nothing more,
switches language; a screenshot of every main page lands in artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import menu, screenshot, sign_in
from tests.builders import PASSWORD
from tests.pages.conftest import current_code, enrol

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

with translation.override("id"):
    #: The menu entry of the office pages, as the Indonesian catalogue has it.
    OFFICE_ID = translation.gettext("Office")
    #: The menu entries that AUDIT brings (the trail, findings, cases).
    AUDIT_ID = [translation.gettext(label) for label in ("Audit trail", "Findings", "Cases")]


@pytest.fixture(autouse=True)
def indonesian_default():
    """Run the live server with the production default language."""
    with override_settings(LANGUAGE_CODE="id"):
        yield


def _rows(page) -> set[str]:
    return set(page.locator("#results td.code a").all_inner_texts())


def test_officer_sees_own_office_only_and_no_posting_form(network, page):
    sign_in(page, network.officer_a, PASSWORD)
    assert menu(page) == ["Beranda", "Jaringan", "Pegawai", OFFICE_ID]
    assert page.locator("#panel-today").is_visible()
    assert page.locator("#panel-network").count() == 0
    screenshot(page, "officer-home")
    page.click("nav.mainnav >> text=Jaringan")
    assert _rows(page) == {"KANIM-A"}
    page.goto("/network/KANIM-A/")
    assert page.locator("form[action$='/postings/']").count() == 0
    assert page.console_errors == []
    assert page.goto("/network/KANIM-B/").status == 404


def test_office_head_sees_kanim_and_units_and_can_post_staff(network, page):
    sign_in(page, network.head_a, PASSWORD)
    assert page.locator("#panel-managed").is_visible()
    screenshot(page, "head-home")
    page.goto("/network/")
    assert _rows(page) == {"KANIM-A", "ULP-A1"}
    screenshot(page, "head-network")
    page.goto("/network/KANIM-A/")
    assert page.locator("text=Tugaskan pegawai").is_visible()
    assert page.locator(".clock .zone").inner_text() == "WIB"
    screenshot(page, "head-office-detail")
    page.goto("/staff/")
    screenshot(page, "head-staff")
    page.click(f"#results >> text={network.officer_a.staff.name}")
    page.wait_for_url("**/staff/*/")
    assert page.locator("button:has-text('Akhiri penugasan')").count() == 1
    screenshot(page, "head-staff-detail")
    assert page.console_errors == []


def test_supervisor_must_enrol_a_second_factor_before_anything_else(network, page):
    sign_in(page, network.supervisor, PASSWORD)
    assert "/account/two-factor/setup/" in page.url
    assert menu(page) == []
    assert page.locator(".qr svg").is_visible()
    screenshot(page, "supervisor-two-factor-setup")
    page.goto("/network/")
    assert "/account/two-factor/setup/" in page.url
    device = TOTPDevice.objects.get(user=network.supervisor, confirmed=False)
    page.fill("#code", current_code(device))
    page.click(".code-form button")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/network/")  # back where the second factor was asked
    assert _rows(page) == {"KANIM-A", "ULP-A1", "KANIM-B"}
    screenshot(page, "supervisor-network")
    page.goto("/")
    assert page.locator("#panel-network").is_visible()
    screenshot(page, "supervisor-home")
    page.goto("/network/provinces/")
    screenshot(page, "supervisor-provinces")
    assert page.console_errors == []


def test_auditor_with_a_device_verifies_a_code(network, page):
    device = enrol(network.auditor)
    sign_in(page, network.auditor, PASSWORD)
    assert re.search(r"/account/two-factor/\?next=", page.url)
    screenshot(page, "auditor-two-factor-verify")
    page.fill("#code", current_code(device, steps_ahead=1))
    page.click(".code-form button")
    page.wait_for_load_state("networkidle")
    assert menu(page) == ["Beranda", "Jaringan", "Pegawai", *AUDIT_ID]
    page.goto("/staff/")
    assert network.officer_b.staff.name in page.content()
    screenshot(page, "auditor-staff")
    assert page.console_errors == []


def test_language_switch_turns_the_portal_english_and_back(network, page):
    sign_in(page, network.head_a, PASSWORD)
    assert page.locator("html").get_attribute("lang") == "id"
    page.click("form.lang button[value=en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert menu(page) == ["Home", "Network", "Staff", "Office"]
    screenshot(page, "head-home-english")
    page.click("form.lang button[value=id]")
    page.wait_for_load_state("networkidle")
    assert menu(page) == ["Beranda", "Jaringan", "Pegawai", OFFICE_ID]


def test_filters_update_the_table_in_place_with_htmx(network, page):
    sign_in(page, network.head_a, PASSWORD)
    page.goto("/network/")
    page.evaluate("window.__marker = 'same page'")
    page.select_option("select[name=type]", "ULP")
    expect(page.locator("#results td.code a")).to_have_count(1)
    assert _rows(page) == {"ULP-A1"}
    assert page.evaluate("window.__marker") == "same page"  # no full reload
    assert "type=ULP" in page.url  # the address follows, so the view can be shared
    assert page.console_errors == []


def test_sign_in_page_and_lockout_page_look_right(network, page):
    page.goto("/login/")
    screenshot(page, "login")
    for _ in range(5):
        page.goto("/login/")
        page.fill("#id_username", network.officer_a.username)
        page.fill("#id_password", "wrong")
        page.click("button[type=submit].wide")
    assert page.locator("h1").inner_text() == "Akun terkunci"
    screenshot(page, "lockout")


def test_sorting_and_paging_links_update_the_table_in_place(network, page):
    sign_in(page, network.head_a, PASSWORD)
    page.goto("/network/")
    page.evaluate("window.__marker = 'same page'")
    page.click("#results th a:has-text('Kode')")  # sorted by code already: now descending
    expect(page.locator("#results th[aria-sort=descending]")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"sort=-code"))
    assert page.evaluate("window.__marker") == "same page"
    assert page.locator("#results td.code a").first.inner_text() == "ULP-A1"


@pytest.mark.parametrize("path", ["/", "/network/", "/network/KANIM-A/", "/staff/"])
def test_pages_fit_a_phone_screen(network, page, path):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, network.head_a, PASSWORD)
    page.goto(path)
    # Wide tables scroll inside their card; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "head-phone-" + (path.strip("/").replace("/", "-") or "home"))


@pytest.mark.urls("tests.browser.building_block_urls")
def test_trend_chart_draws_under_the_security_policy(db, page):
    page.goto("/chart-demo/")
    expect(page.locator("figure[data-chart=trend] .uplot canvas")).to_have_count(1)
    assert page.locator("figure[data-chart=trend] .u-legend").inner_text().count("Bookings") == 1
    screenshot(page, "building-block-trend-chart")
    assert page.console_errors == []


@pytest.mark.urls("tests.browser.building_block_urls")
def test_live_progress_polls_until_the_job_is_done(db, page):
    page.goto("/progress-demo/")
    assert page.locator(".progress progress").get_attribute("value") == "1000"
    expect(page.locator(".progress .badge")).to_have_text("DONE", timeout=15_000)
    assert page.locator(".progress progress").get_attribute("value") == "3000"
    assert page.locator(".progress[hx-trigger]").count() == 0  # polling stopped
    screenshot(page, "building-block-progress")
    assert page.console_errors == []
