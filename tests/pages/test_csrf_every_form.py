"""CSRF on every form: every page of every route, opened by every role, carries the token in each
form that posts, and a post to any of those forms without the token is refused."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.pages.conftest import sign_in
from tests.passport_portal.world import build_world

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
POSTS = re.compile(r"""method\s*=\s*["']?post""", re.I)
ACTION = re.compile(r"""action\s*=\s*["']([^"']*)["']""", re.I)
TOKEN = 'name="csrfmiddlewaretoken"'
# Routes that are not pages: the API (token or session, tested by the API tests), Django's admin
# (its own CSRF handling) and the language switch (a form on every page; covered as such).
NOT_PAGES = ("api/", "admin/", "i18n/")


def _routes(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _fill(route: str, values: dict[str, dict[str, str]]) -> str | None:
    """The route with each parameter replaced by a real object's id; None when one is unknown."""
    path = route
    for name in re.findall(r"<(?:\w+:)?(\w+)>", route):
        value = next((v[name] for prefix, v in values.items() if route.startswith(prefix) and name in v), None)
        if value is None:
            return None
        path = re.sub(rf"<(?:\w+:)?{name}>", str(value), path, count=1)
    return "/" + path


@pytest.fixture
def pages(network, settings):
    world = build_world(network, settings)
    booking = world.booking.code
    office = {"code": network.kanim_a.code}
    values = {
        "supervision/provinces/": {"code": network.kanim_a.region.code}, "supervision/": office,
        "office/": office, "network/": office, "apply/bookings/": {"code": booking},
        "audit/bookings/": {"code": booking}, "audit/staff/": {"pk": network.officer_a.staff.pk},
        "staff/": {"pk": network.officer_a.staff.pk, "assignment_pk": world.assignment.pk},
        "findings/officers/": {"nip": world.officer_nip}, "findings/cases/": {"pk": world.case.pk},
        "findings/allowlist/": {"pk": world.allowlist_entry.pk}, "findings/runs/": {},
        "findings/clusters/": {}, "findings/": {"pk": world.finding.pk},
    }
    routes = [route for route in _routes() if not route.startswith(NOT_PAGES)]
    paths = sorted({path for route in routes if (path := _fill(route, values)) is not None})
    return world, paths


def _client_for(user) -> Client:
    client = Client()
    if user is not None:
        sign_in(client, user)
    return client


def _post_forms(html: str, page: str) -> list[tuple[str, str]]:
    """(action, form body) of every form on the page that posts."""
    return [(urljoin(page, (ACTION.search(attrs) or [None, page])[1] or page), body)
            for attrs, body in FORM.findall(html) if POSTS.search(attrs)]


def test_every_form_that_posts_carries_the_csrf_token_and_refuses_a_post_without_it(network, pages):
    world, paths = pages
    users = {**world.users(network), "anonymous": None}
    forms_seen: dict[tuple[str, str], str] = {}  # (role, action) -> page
    pages_opened = 0
    for role, user in users.items():
        client = _client_for(user)
        for path in paths:
            response = client.get(path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            pages_opened += 1
            for action, body in _post_forms(response.content.decode(), path):
                assert TOKEN in body, f"a form posting to {action} on {path} (as {role}) has no CSRF token"
                forms_seen.setdefault((role, action), path)
    # The walk really reached the portal's forms: sign-in, sign-out, postings, cases, bookings, ...
    actions = {action for _, action in forms_seen}
    assert pages_opened > 40 and len(actions) > 10, (pages_opened, sorted(actions))
    assert {"/login/", "/logout/", "/i18n/setlang/"} <= actions

    for (role, action), page in forms_seen.items():
        client = Client(enforce_csrf_checks=True)
        if users[role] is not None:
            sign_in(client, users[role])
        response = client.post(action, {})
        assert response.status_code == 403, f"{action} (form on {page}, as {role}) took a post without a token"
        assert b"CSRF" in response.content
