"""Meta-test: every office page that takes a POST has a test proving it leaves its audit event.

Read pages answer 405 to a POST; any other answer marks a write page, which must be listed in
``WRITE_PAGES`` with the test that submits it and asserts its event. A new form without such a
test fails here, and so does an entry for a page that is gone.
"""

from __future__ import annotations

import importlib

import pytest
from django.urls import reverse

from bookings.urls_office import urlpatterns

CAPACITY = "tests.pages.office.test_capacity"
WALK_IN = "tests.pages.office.test_walk_in"

#: URL name → "module::test" that submits the page and asserts its audit event.
WRITE_PAGES = {
    "office:capacity-change":
        f"{CAPACITY}::test_a_slot_s_capacity_changes_with_its_reason_and_the_history_shows_it",
    "office:day-close": f"{CAPACITY}::test_a_day_closes_with_a_reason_and_reopens",
    "office:day-reopen": f"{CAPACITY}::test_a_day_closes_with_a_reason_and_reopens",
    "office:walk-in": f"{WALK_IN}::test_a_walk_in_takes_a_place_today_and_is_recorded",
}


def _url(name: str) -> str:
    pattern = next(p for p in urlpatterns if p.name == name)
    return reverse(f"office:{name}", kwargs={"code": "KANIM-A"} if "<str:code>" in str(pattern.pattern) else {})


def test_every_page_that_takes_a_post_has_a_test_proving_its_event(network, as_user):
    client = as_user(network.admin)
    writes = {f"office:{p.name}" for p in urlpatterns if client.post(_url(p.name), {}).status_code != 405}
    missing = sorted(writes - set(WRITE_PAGES))
    assert not missing, f"office pages taking a POST with no test proving their audit event: {missing}"
    stale = sorted(set(WRITE_PAGES) - writes)
    assert not stale, f"entries for pages that no longer take a POST: {stale}"


@pytest.mark.parametrize("reference", sorted(set(WRITE_PAGES.values())))
def test_each_registered_test_exists(reference):
    module_name, _, function_name = reference.partition("::")
    assert callable(getattr(importlib.import_module(module_name), function_name, None)), reference
