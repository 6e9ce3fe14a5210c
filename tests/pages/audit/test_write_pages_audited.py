"""Meta-test: every audit page that takes a POST has a test proving it leaves its audit event
(tests/pages/audited.py says how)."""

from __future__ import annotations

from tests.pages.audited import area_urls, assert_write_pages_listed, each_listed_test_exists

TIMELINES = "tests.pages.audit.test_timelines"

#: URL name → "module::test" that submits the page and asserts its audit event.
WRITE_PAGES = {
    "audit:booking-timeline": f"{TIMELINES}::test_showing_the_applicant_records_view_applicant_first",
}
ARGUMENTS = {"code": "BK-0001", "pk": 1}


def test_every_audit_page_that_takes_a_post_has_a_test_proving_its_event(network, trail, as_user):
    assert_write_pages_listed(as_user(network.admin), area_urls("audit", ARGUMENTS), WRITE_PAGES, area="audit")


test_each_registered_test_exists = each_listed_test_exists(WRITE_PAGES)
