"""Meta-test: every applicant page that takes a POST has a test proving it leaves its audit event.

Read pages answer 405 to a POST; any other answer marks a write page, which must be listed in
``WRITE_PAGES`` with the test that submits it and asserts its event.
"""

from __future__ import annotations

import importlib

import pytest
from django.urls import reverse

from bookings.urls_applicant import urlpatterns

PAGES = "tests.pages.applicant"

#: URL name → "module::test" that submits the page and asserts its audit event.
WRITE_PAGES = {
    "applicant:register":
        f"{PAGES}.test_register::test_registering_opens_an_account_with_address_and_device_and_signs_in",
    "applicant:sign-in": f"{PAGES}.test_sign_in::test_an_applicant_signs_in_and_lands_on_their_bookings",
    "applicant:book-submit": f"{PAGES}.test_book::test_booking_takes_the_place_records_it_and_shows_the_code",
    "applicant:booking-cancel":
        f"{PAGES}.test_my_bookings::test_cancelling_before_the_cut_off_gives_the_place_back_and_is_recorded",
}


def _url(pattern) -> str:
    kwargs = {"code": "NOSUCHCODE"} if "<str:code>" in str(pattern.pattern) else {}
    return reverse(f"applicant:{pattern.name}", kwargs=kwargs)


def test_every_page_that_takes_a_post_has_a_test_proving_its_event(network, applicant_client):
    writes = {f"applicant:{p.name}" for p in urlpatterns if applicant_client.post(_url(p), {}).status_code != 405}
    missing = sorted(writes - set(WRITE_PAGES))
    assert not missing, f"applicant pages taking a POST with no test proving their audit event: {missing}"
    stale = sorted(set(WRITE_PAGES) - writes)
    assert not stale, f"entries for pages that no longer take a POST: {stale}"


@pytest.mark.parametrize("reference", sorted(set(WRITE_PAGES.values())))
def test_each_registered_test_exists(reference):
    module_name, _, function_name = reference.partition("::")
    assert callable(getattr(importlib.import_module(module_name), function_name, None)), reference
