"""Meta-test: every network and staff page (/network/, /staff/) that takes a POST has a test proving it
leaves its audit event (tests/pages/audited.py says how)."""

from __future__ import annotations

from tests.pages.audited import area_urls, assert_write_pages_listed, each_listed_test_exists

STAFF = "tests.pages.test_staff"

#: URL name → "module::test" that submits the page and asserts its audit event.
WRITE_PAGES = {
    "offices:posting-create": f"{STAFF}::test_office_head_posts_an_officer_at_a_unit_of_their_kanim",
    "offices:posting-end": f"{STAFF}::test_office_head_ends_an_officer_posting",
}


def test_every_page_that_takes_a_post_has_a_test_proving_its_event(network, as_user):
    staff = network.officer_a.staff
    arguments = {"code": network.kanim_a.code, "pk": staff.pk, "assignment_pk": staff.assignments.first().pk}
    assert_write_pages_listed(as_user(network.admin), area_urls("offices", arguments), WRITE_PAGES,
                              area="offices")


test_each_registered_test_exists = each_listed_test_exists(WRITE_PAGES)
