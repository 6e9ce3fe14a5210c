"""Meta-test: every office page that takes a POST has a test proving it leaves its audit event
(tests/pages/audited.py says how)."""

from __future__ import annotations

from tests.pages.audited import area_urls, assert_write_pages_listed, each_listed_test_exists

CAPACITY = "tests.pages.office.test_capacity"
WALK_IN = "tests.pages.office.test_walk_in"
COUNTER = "tests.pages.office.test_counter"

#: URL name → "module::test" that submits the page and asserts its audit event.
WRITE_PAGES = {
    "office:capacity-change":
        f"{CAPACITY}::test_a_slot_s_capacity_changes_with_its_reason_and_the_history_shows_it",
    "office:day-close": f"{CAPACITY}::test_a_day_closes_with_a_reason_and_reopens",
    "office:day-reopen": f"{CAPACITY}::test_a_day_closes_with_a_reason_and_reopens",
    "office:walk-in": f"{WALK_IN}::test_a_walk_in_takes_a_place_today_and_is_recorded",
    "office:counter-step": f"{COUNTER}::test_each_step_through_the_page_writes_its_event",
    "office:counter-override": f"{COUNTER}::test_the_head_overrides_four_eyes_with_a_reason",
}


def test_every_page_that_takes_a_post_has_a_test_proving_its_event(network, as_user):
    assert_write_pages_listed(as_user(network.admin), area_urls("office", {"code": "KANIM-A"}), WRITE_PAGES,
                              area="office")


test_each_registered_test_exists = each_listed_test_exists(WRITE_PAGES)
