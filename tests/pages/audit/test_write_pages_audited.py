"""Meta-test: every audit page that takes a POST has a test proving it leaves its audit event.

Read pages answer 405 to a POST; any other answer marks a write page, which must be listed in
``WRITE_PAGES`` with the test that submits it and asserts its event.
"""

from __future__ import annotations

import importlib

import pytest
from django.urls import reverse

from audit.urls import urlpatterns

TIMELINES = "tests.pages.audit.test_timelines"

#: URL name → "module::test" that submits the page and asserts its audit event.
WRITE_PAGES = {
    "audit:booking-timeline": f"{TIMELINES}::test_showing_the_applicant_records_view_applicant_first",
}
ARGUMENTS = {"code": "BK-0001", "pk": 1}


def _url(pattern) -> str:
    return reverse(f"audit:{pattern.name}", kwargs={name: ARGUMENTS[name] for name in pattern.pattern.converters})


def test_every_audit_page_that_takes_a_post_has_a_test_proving_its_event(network, trail, as_user):
    client = as_user(network.admin)
    writes = {f"audit:{p.name}" for p in urlpatterns if client.post(_url(p), {}).status_code != 405}
    missing = sorted(writes - set(WRITE_PAGES))
    assert not missing, f"audit pages taking a POST with no test proving their audit event: {missing}"
    stale = sorted(set(WRITE_PAGES) - writes)
    assert not stale, f"entries for pages that no longer take a POST: {stale}"


@pytest.mark.parametrize("reference", sorted(set(WRITE_PAGES.values())))
def test_each_registered_test_exists(reference):
    module_name, _, function_name = reference.partition("::")
    assert callable(getattr(importlib.import_module(module_name), function_name, None)), reference
