"""Registering on the web: the account is opened by the same service as the API's, with the
address and the browser's device id recorded, and the new applicant is signed in."""

from __future__ import annotations

import pytest

from audit.models import Event
from bookings.models import Account
from bookings.pages.applicant import DEVICE_COOKIE
from tests.builders import PASSWORD
from tests.pages.applicant.conftest import field_errors

URL = "/apply/register/"


def _data(**fields) -> dict:
    return {"email": "Sari@Example.invalid", "phone": "0812-3456-7890", "password": PASSWORD,
            "password_again": PASSWORD} | fields


def test_the_form_opens_and_gives_the_browser_a_device_id(db, client):
    response = client.get(URL)
    assert response.status_code == 200
    assert 'id="register-form"' in response.content.decode()
    assert len(response.cookies[DEVICE_COOKIE].value) == 32
    assert response.cookies[DEVICE_COOKIE]["httponly"]


def test_registering_opens_an_account_with_address_and_device_and_signs_in(db, client):
    device = client.get(URL).cookies[DEVICE_COOKIE].value
    response = client.post(URL, _data(), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302 and response["Location"] == "/apply/book/"
    account = Account.objects.get(email="sari@example.invalid")
    assert (account.phone, account.registration_ip, account.registration_device) == (
        "+6281234567890", "10.1.2.3", f"web:{device}")
    registered = Event.objects.get(action="ACCOUNT_REGISTER")
    assert (registered.actor_type, registered.actor_id, registered.ip) == ("account", account.ref, "10.1.2.3")
    assert registered.details["device"] == f"web:{device}"
    assert Event.objects.filter(action="ACCOUNT_LOGIN", actor_id=account.ref).count() == 1
    assert client.get("/apply/book/").status_code == 200  # signed in


def test_a_device_id_sent_like_the_api_s_is_kept_as_is(db, client):
    client.post(URL, _data(), HTTP_X_DEVICE_ID="phone-app-42")
    assert Account.objects.get().registration_device == "phone-app-42"


@pytest.mark.parametrize(("fields", "field_id"), [
    ({"phone": "12345"}, "id_phone"),
    ({"email": "sari.example.invalid"}, "id_email"),
    ({"password": "short", "password_again": "short"}, "id_password"),
    ({"password_again": "something-else-entirely"}, "id_password_again"),
])
def test_a_bad_field_is_named_and_nothing_is_opened(db, client, fields, field_id):
    response = client.post(URL, _data(**fields))
    assert response.status_code == 400
    errors = field_errors(response.content.decode(), "register-form")
    assert list(errors) == [field_id]
    assert not Account.objects.exists()
    assert not Event.objects.filter(action__in=["ACCOUNT_REGISTER", "ACCOUNT_LOGIN"]).exists()


def test_an_address_already_registered_is_refused_on_its_field(db, client, applicant_user):
    response = client.post(URL, _data(email=applicant_user.email.upper()))
    assert response.status_code == 400
    errors = field_errors(response.content.decode(), "register-form")
    assert errors == {"id_email": ["An account with this e-mail address exists."]}
    assert Account.objects.count() == 1
