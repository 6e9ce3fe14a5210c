"""Page security: CSRF on forms, a strict Content-Security-Policy, no outside or inline code."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from offices.choices import Role
from tests import builders
from tests.pages.conftest import sign_in

PAGES = ["/", "/network/", "/network/provinces/", "/network/KANIM-A/", "/staff/"]


def test_pages_carry_a_self_only_content_security_policy(network, as_user):
    policy = as_user(network.head_a).get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_the_login_page_carries_the_policy_too(db, client):
    assert "default-src 'self'" in client.get("/login/")["Content-Security-Policy"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_code_and_load_nothing_from_outside(network, as_user, path):
    html = as_user(network.head_a).get(path).content.decode()
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert scripts and all('src="/static/' in attrs or 'type="application/json"' in attrs for attrs in scripts)
    assert "<style" not in html and " style=" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_vendored_htmx_is_served_by_the_portal(db, client):
    response = client.get("/static/vendor/htmx/htmx-2.0.11.min.js")
    assert response.status_code == 200


def test_a_form_post_without_the_csrf_token_is_refused(network):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, network.head_a)
    newcomer = builders.staff_profile(builders.nip_for(911), "Tanpa Token")
    response = client.post("/network/KANIM-A/postings/", {
        "nip": newcomer.nip, "office": "KANIM-A", "role": Role.OFFICER, "valid_from": "2030-01-01"})
    assert response.status_code == 403
    assert not newcomer.assignments.exists()


def test_sign_out_is_a_post_with_a_csrf_token(network, as_user):
    html = as_user(network.officer_a).get("/").content.decode()
    form = re.search(r'<form method="post" action="/logout/".*?</form>', html, re.S).group(0)
    assert 'name="csrfmiddlewaretoken"' in form


def test_session_cookie_is_http_only(network, as_user):
    response = as_user(network.officer_a).get("/")
    assert response.cookies["sessionid"]["httponly"]


def test_only_the_api_documentation_gets_the_relaxed_policy(network, as_user):
    client = as_user(network.supervisor)
    docs = client.get("/api/v1/docs/")["Content-Security-Policy"]
    assert "'unsafe-inline'" in docs
    assert "'unsafe-inline'" not in client.get("/api/v1/offices/")["Content-Security-Policy"]


def test_an_htmx_request_after_the_session_ended_reloads_the_whole_page_to_sign_in(db, client):
    response = client.get("/network/?page=2", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/login/?next=")


def test_an_htmx_request_owing_the_second_factor_reloads_the_whole_page(network, client):
    client.force_login(network.auditor)
    response = client.get("/staff/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith("/account/two-factor/setup/")


def test_a_plain_request_after_the_session_ended_is_redirected_as_usual(db, client):
    response = client.get("/network/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
