"""Second factor (TOTP): required for supervisors and auditors on pages, session API and tokens."""

from __future__ import annotations

import base64

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import Event
from offices.choices import Role
from tests.builders import PASSWORD
from tests.pages.conftest import current_code, enrol, sign_in

NETWORK_WIDE = [Role.SUPERVISOR, Role.AUDITOR]


def _login(client, user):
    return client.post("/login/", {"username": user.username, "password": PASSWORD})


@pytest.mark.parametrize("role", NETWORK_WIDE)
def test_network_wide_role_without_device_is_sent_to_setup(network, client, role):
    _login(client, network.user(role))
    response = client.get("/network/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/setup/")


@pytest.mark.parametrize("role", NETWORK_WIDE)
def test_network_wide_role_with_device_is_sent_to_verify(network, client, role):
    user = network.user(role)
    enrol(user)
    _login(client, user)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == "/account/two-factor/?next=%2Fstaff%2F"


@pytest.mark.parametrize("role", [Role.OFFICER, Role.OFFICE_HEAD])
def test_office_roles_need_no_second_factor(network, client, role):
    _login(client, network.user(role))
    assert client.get("/network/").status_code == 200


def test_unverified_supervisor_sees_no_menu(network, client):
    _login(client, network.supervisor)
    page = client.get("/account/two-factor/setup/").content.decode()
    assert 'class="mainnav"' not in page


def test_setup_shows_an_inline_svg_qr_code_and_the_secret(network, client):
    _login(client, network.supervisor)
    response = client.get("/account/two-factor/setup/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<div class="qr"' in page and "<svg" in page
    assert 'src="http' not in page and "chart.googleapis" not in page
    device = TOTPDevice.objects.get(user=network.supervisor, confirmed=False)
    secret = base64.b32encode(device.bin_key).decode()
    assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in page


def test_setup_with_the_right_code_enrols_and_opens_the_portal(network, client):
    _login(client, network.supervisor)
    client.get("/account/two-factor/setup/")
    device = TOTPDevice.objects.get(user=network.supervisor, confirmed=False)
    response = client.post("/account/two-factor/setup/", {"code": current_code(device), "next": "/network/"})
    assert response.status_code == 302 and response["Location"] == "/network/"
    assert TOTPDevice.objects.get(user=network.supervisor).confirmed
    assert client.get("/network/").status_code == 200
    assert Event.objects.filter(action="SECOND_FACTOR_ENROLL", actor_id=network.supervisor.staff.nip).exists()


def test_setup_with_a_wrong_code_is_refused_and_recorded(network, client):
    _login(client, network.auditor)
    client.get("/account/two-factor/setup/")
    device = TOTPDevice.objects.get(user=network.auditor)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post("/account/two-factor/setup/", {"code": wrong})
    assert response.status_code == 400
    assert not TOTPDevice.objects.get(user=network.auditor).confirmed
    assert client.get("/network/").status_code == 302
    assert Event.objects.filter(action="SECOND_FACTOR_FAILED", actor_id=network.auditor.staff.nip).exists()


def test_a_password_alone_cannot_bind_a_new_phone(network, client):
    enrol(network.supervisor)
    _login(client, network.supervisor)
    response = client.get("/account/two-factor/setup/")
    assert response.status_code == 302 and response["Location"].startswith("/account/two-factor/?")
    assert TOTPDevice.objects.filter(user=network.supervisor).count() == 1


def test_verify_with_the_right_code_opens_the_portal(network, client):
    device = enrol(network.auditor)
    _login(client, network.auditor)
    response = client.post("/account/two-factor/", {"code": current_code(device, steps_ahead=1),
                                                     "next": "/staff/"})
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert Event.objects.filter(action="SECOND_FACTOR_VERIFY", actor_id=network.auditor.staff.nip).exists()


def test_verify_refuses_an_outside_next_url(network, client):
    device = enrol(network.auditor)
    _login(client, network.auditor)
    response = client.post("/account/two-factor/", {"code": current_code(device, steps_ahead=1),
                                                     "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_unverified_session_cannot_use_the_api(network, client):
    _login(client, network.supervisor)
    response = client.get("/api/v1/offices/")
    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"


def test_verified_session_can_use_the_api(network, client):
    sign_in(client, network.supervisor)
    assert client.get("/api/v1/offices/").status_code == 200


def test_api_token_for_a_supervisor_needs_the_code(network, client):
    enrol(network.supervisor)
    response = client.post("/api/v1/auth/token/", {"username": network.supervisor.username,
                                                    "password": PASSWORD})
    assert response.status_code == 400 and "otp_token" in response.json()


def test_api_token_for_a_supervisor_with_a_wrong_code_is_refused(network, client):
    device = enrol(network.supervisor)
    wrong = f"{(int(current_code(device, steps_ahead=1)) + 1) % 1_000_000:06d}"
    response = client.post("/api/v1/auth/token/", {"username": network.supervisor.username,
                                                    "password": PASSWORD, "otp_token": wrong})
    assert response.status_code == 400 and "token" not in response.json()


def test_api_token_for_a_supervisor_with_the_code_is_issued_and_works(network, client):
    device = enrol(network.supervisor)
    response = client.post("/api/v1/auth/token/", {
        "username": network.supervisor.username, "password": PASSWORD,
        "otp_token": current_code(device, steps_ahead=1)})
    assert response.status_code == 200
    token = response.json()["token"]
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/offices/").status_code == 200


def test_api_token_for_an_auditor_without_a_device_says_enrol_first(network, client):
    response = client.post("/api/v1/auth/token/", {"username": network.auditor.username,
                                                    "password": PASSWORD, "otp_token": "123456"})
    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_setup_required"
