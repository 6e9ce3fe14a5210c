"""Meta-test: every supervision page that takes a POST has a test proving it leaves its audit event.

Read pages answer 405 to a POST; any other answer marks a write page, which must be listed in
``WRITE_PAGES`` with the test that submits it and asserts its event. A new form without such a
test fails here, and so does an entry for a page that is gone.
"""

from __future__ import annotations

import importlib

import pytest
from django.urls import reverse

from bookings.urls_supervision import urlpatterns

#: URL name → "module::test" that submits the page and asserts its audit event.
WRITE_PAGES = {
    "supervision:directive-create":
        "tests.pages.supervision.test_directive_form::test_a_directive_is_set_audited_and_shown",
}


def _url(name: str) -> str:
    pattern = next(p for p in urlpatterns if p.name == name)
    kwargs = {}
    if "<str:code>" in str(pattern.pattern):
        kwargs["code"] = "31" if name == "province" else "KANIM-A"
    return reverse(f"supervision:{name}", kwargs=kwargs)


def test_every_page_that_takes_a_post_has_a_test_proving_its_event(network, as_user):
    client = as_user(network.admin)
    writes = {f"supervision:{p.name}" for p in urlpatterns if client.post(_url(p.name), {}).status_code != 405}
    missing = sorted(writes - set(WRITE_PAGES))
    assert not missing, f"supervision pages taking a POST with no test proving their audit event: {missing}"
    stale = sorted(set(WRITE_PAGES) - writes)
    assert not stale, f"entries for pages that no longer take a POST: {stale}"


@pytest.mark.parametrize("reference", sorted(set(WRITE_PAGES.values())))
def test_each_registered_test_exists(reference):
    module_name, _, function_name = reference.partition("::")
    assert callable(getattr(importlib.import_module(module_name), function_name, None)), reference
