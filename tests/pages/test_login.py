"""Sign-in page: lockout after repeated failures (django-axes), audit events, idle timeout."""

from __future__ import annotations

from django.conf import settings

from audit.models import Event
from tests.builders import PASSWORD


def _post(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_login_page_has_a_csrf_protected_form(db, client):
    response = client.get("/login/")
    assert response.status_code == 200
    assert b'name="csrfmiddlewaretoken"' in response.content


def test_officer_signs_in_and_lands_on_home(network, client):
    response = _post(client, network.officer_a.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_account_is_locked_after_five_failures_even_with_the_right_password(network, client):
    user = network.officer_a
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _post(client, user.username, "wrong").status_code == 200
    locked = _post(client, user.username, "wrong")
    assert locked.status_code == 429
    assert _post(client, user.username, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_failed_attempts_stay_in_the_audit_trail_during_lockout(network, client):
    user = network.officer_a
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        _post(client, user.username, "wrong")
    failures = Event.objects.filter(action="STAFF_LOGIN_FAILED", actor_id=user.staff.nip).count()
    assert failures == settings.AXES_FAILURE_LIMIT + 1


def test_lockout_is_per_account_name(network, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post(client, network.officer_a.username, "wrong")
    assert _post(client, network.head_a.username, PASSWORD).status_code == 302


def test_a_success_resets_the_failure_count(network, client):
    user = network.officer_a
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _post(client, user.username, "wrong")
    assert _post(client, user.username, PASSWORD).status_code == 302
    client.post("/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _post(client, user.username, "wrong")
    assert _post(client, user.username, PASSWORD).status_code == 302


def test_session_expires_after_thirty_idle_minutes_and_every_request_renews_it(network, client):
    _post(client, network.officer_a.username, PASSWORD)
    response = client.get("/")
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert response.cookies["sessionid"]["max-age"] == 30 * 60
    assert client.session.get_expiry_age() == 30 * 60


def test_api_token_login_still_works_for_an_officer(network, client):
    response = client.post("/api/v1/auth/token/", {"username": network.officer_a.username,
                                                    "password": PASSWORD})
    assert response.status_code == 200 and len(response.json()["token"]) == 40


def test_api_token_login_is_locked_out_too(network, client):
    user = network.officer_a
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/v1/auth/token/", {"username": user.username, "password": "wrong"})
    response = client.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})
    assert response.status_code in (400, 429)
    assert "token" not in response.json()


def test_login_page_states_the_configured_lockout_and_idle_limits(db, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.SESSION_COOKIE_AGE = 20 * 60
    html = client.get("/login/").content.decode()
    assert "After 3 failed attempts the account is locked for 30 minutes." in html
    assert "Sessions end after 20 minutes without activity." in html


def test_lockout_follows_the_configured_limit(network, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        assert _post(client, network.head_a.username, "wrong").status_code == 200
    assert _post(client, network.head_a.username, "wrong").status_code == 429
