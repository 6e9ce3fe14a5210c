"""Meta-test: every supervision page that takes a POST has a test proving it leaves its audit event
(tests/pages/audited.py says how)."""

from __future__ import annotations

from tests.pages.audited import area_urls, assert_write_pages_listed, each_listed_test_exists

#: URL name → "module::test" that submits the page and asserts its audit event.
WRITE_PAGES = {
    "supervision:directive-create":
        "tests.pages.supervision.test_directive_form::test_a_directive_is_set_audited_and_shown",
    "supervision:directive-withdraw":
        "tests.pages.supervision.test_directive_withdraw::test_a_directive_is_withdrawn_audited_and_shown",
}


def _code(url_name: str) -> str:
    return "31" if url_name == "province" else "KANIM-A"


def test_every_page_that_takes_a_post_has_a_test_proving_its_event(network, as_user):
    assert_write_pages_listed(as_user(network.admin), area_urls("supervision", {"code": _code}), WRITE_PAGES,
                              area="supervision")


test_each_registered_test_exists = each_listed_test_exists(WRITE_PAGES)
