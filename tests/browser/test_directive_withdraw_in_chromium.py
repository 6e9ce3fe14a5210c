"""Withdrawing a clearance directive in a real Chromium: the supervisor gives a reason, the office
is under none, the history says who withdrew it and why; screenshot supervision-directive-withdrawn.png."""

from __future__ import annotations

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from audit.models import Event
from bookings.services.backlog import directive_set
from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_supervision_in_chromium import _second_factor
from tests.builders import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def indonesian_default():
    """Run the live server with the production default language."""
    with override_settings(LANGUAGE_CODE="id"):
        yield


def test_supervisor_withdraws_a_directive_with_a_reason(network, page):
    directive = directive_set(actor=network.supervisor, offices=[network.kanim_b], within_days=14)[0]
    sign_in(page, network.supervisor, PASSWORD)
    _second_factor(page, network.supervisor)
    page.goto("/supervision/offices/KANIM-B/")
    expect(page.locator("#directive-in-force")).to_have_count(1)
    page.click("#withdraw-form button[type=submit]")  # no reason: refused beside the field
    expect(page.locator("#id_reason-error")).to_be_visible()
    assert not Event.objects.filter(action="DIRECTIVE_WITHDRAW").exists()
    assert [e for e in page.console_errors if "status of 400" not in e] == []
    page.console_errors.clear()

    page.fill("#id_reason", "Antrean sudah bersih")
    page.click("#withdraw-form button[type=submit]")
    page.wait_for_url("**/supervision/offices/KANIM-B/")
    expect(page.locator("#no-directive")).to_be_visible()
    withdrawn = page.locator("#directive-history [data-end=withdrawn]")
    expect(withdrawn).to_contain_text(network.supervisor.staff.name)
    expect(page.locator("#directive-history")).to_contain_text("Antrean sudah bersih")
    assert page.locator("#withdraw-form").count() == 0
    directive.refresh_from_db()
    assert directive.withdraw_reason == "Antrean sudah bersih"
    screenshot(page, "supervision-directive-withdrawn")
    assert page.console_errors == []
