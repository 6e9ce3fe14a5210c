"""The meta-test each page area runs: every page that takes a POST has a test proving its audit event.

Read pages answer 405 to a POST; any other answer marks a write page, which must be listed in the
area's ``WRITE_PAGES`` (URL name → "module::test" that submits it and asserts its event). A new
form without such a test fails, and so does an entry for a page that no longer takes a POST or
naming a test that does not exist.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from django.urls import get_resolver, reverse


def area_urls(namespace: str, arguments: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Every URL name of ``namespace`` with an address to call it at.

    ``arguments`` gives each path converter its value: one for every page, or a callable taking
    the URL name where pages need different ones.
    """
    arguments = arguments or {}
    urls = {}
    for pattern in get_resolver().namespace_dict[namespace][1].url_patterns:
        kwargs = {}
        for name in pattern.pattern.converters:
            value = arguments[name]
            kwargs[name] = value(pattern.name) if callable(value) else value
        urls[f"{namespace}:{pattern.name}"] = reverse(f"{namespace}:{pattern.name}", kwargs=kwargs)
    return urls


def assert_write_pages_listed(client, urls: Mapping[str, str], write_pages: Mapping[str, str], *,
                              area: str) -> None:
    """Every page in ``urls`` that ``client`` may POST to is in ``write_pages``, and nothing else is."""
    writes = {name for name, url in urls.items() if client.post(url, {}).status_code != 405}
    missing = sorted(writes - set(write_pages))
    assert not missing, f"{area} pages taking a POST with no test proving their audit event: {missing}"
    stale = sorted(set(write_pages) - writes)
    assert not stale, f"entries for {area} pages that no longer take a POST: {stale}"


def each_listed_test_exists(write_pages: Mapping[str, str]) -> Callable[[str], None]:
    """A test, one case per "module::test" in ``write_pages``, that the named test exists."""

    @pytest.mark.parametrize("reference", sorted(set(write_pages.values())))
    def test_each_listed_test_exists(reference: str) -> None:
        module_name, _, function_name = reference.partition("::")
        assert callable(getattr(importlib.import_module(module_name), function_name, None)), reference

    return test_each_listed_test_exists
