"""Production settings put the security headers and secure cookies on every answer (the deployment
checks and the required secret are tested in test_settings.py)."""

from __future__ import annotations

import importlib
import secrets

import pytest
from django.test import Client, override_settings

from tests.pages.conftest import sign_in

PRODUCTION_ENV = {"DJANGO_SETTINGS_MODULE": "passport_portal.settings.production",
                  "ALLOWED_HOSTS": "paspor.example.go.id", "DEBUG": "False"}
# The settings production.py hardens; the test applies them on top of the test settings.
HARDENED = ["DEBUG", "ALLOWED_HOSTS", "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_CONTENT_TYPE_NOSNIFF",
            "SECURE_REFERRER_POLICY", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
            "CSRF_COOKIE_SECURE", "X_FRAME_OPTIONS", "SECURE_CROSS_ORIGIN_OPENER_POLICY"]
HOST = "paspor.example.go.id"


@pytest.fixture
def production(monkeypatch):
    """The hardening of passport_portal.settings.production, applied to this test."""
    for name, value in {**PRODUCTION_ENV, "SECRET_KEY": secrets.token_urlsafe(50)}.items():
        monkeypatch.setenv(name, value)
    module = importlib.import_module("passport_portal.settings.production")
    module = importlib.reload(module)
    hardened = {name: getattr(module, name) for name in HARDENED if hasattr(module, name)}
    with override_settings(**hardened):
        yield hardened


def _https(client: Client, path: str):
    return client.get(path, secure=True, HTTP_HOST=HOST)


def test_answers_carry_hsts_nosniff_referrer_policy_frame_denial_and_csp(db, production):
    response = _https(Client(), "/login/")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_the_api_carries_the_same_headers(network, production):
    response = _https(Client(), "/api/v1/offices/")
    assert response.status_code in {401, 403}
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_plain_http_is_redirected_to_https(db, production):
    response = Client().get("/login/", HTTP_HOST=HOST)
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/login/"


def test_an_unknown_host_is_refused(db, production):
    assert Client().get("/login/", secure=True, HTTP_HOST="attacker.example").status_code == 400


def test_session_and_csrf_cookies_are_secure_and_the_session_cookie_http_only(network, production):
    client = Client()
    login_page = _https(client, "/login/")
    assert login_page.cookies["csrftoken"]["secure"]
    sign_in(client, network.officer_a)
    response = _https(client, "/")
    assert response.status_code == 200
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"
