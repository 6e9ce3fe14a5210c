"""Meta-test: every applicant page that takes a POST has a test proving it leaves its audit event
(tests/pages/audited.py says how)."""

from __future__ import annotations

from tests.pages.audited import area_urls, assert_write_pages_listed, each_listed_test_exists

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


def test_every_page_that_takes_a_post_has_a_test_proving_its_event(network, applicant_client):
    assert_write_pages_listed(applicant_client, area_urls("applicant", {"code": "NOSUCHCODE"}), WRITE_PAGES,
                              area="applicant")


test_each_registered_test_exists = each_listed_test_exists(WRITE_PAGES)
