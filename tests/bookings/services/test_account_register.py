import pytest
from django.core.exceptions import ValidationError

from audit.models import Event
from bookings.services import account_register
from passport_portal.request_meta import RequestMeta
from tests.builders import PASSWORD


def register(**fields):
    values = {"email": "sari@example.invalid", "phone": "0812 1111 2222", "password": PASSWORD,
              "device": "fp-123", "meta": RequestMeta(ip="10.3.0.1")} | fields
    return account_register(**values)


def test_registration_keeps_ip_device_and_normalised_phone(db):
    account = register()
    assert account.phone == "+6281211112222" and account.registration_ip == "10.3.0.1"
    assert account.registration_device == "fp-123" and not account.verified


def test_user_reaches_the_account_as_applicant_account(db):
    account = register()
    assert account.user.applicant_account == account


def test_registration_is_recorded_by_the_account(db):
    account = register(agency_license="PPIU-123")
    event = Event.objects.get(action="ACCOUNT_REGISTER")
    assert event.actor_type == "account" and event.actor_id == account.ref
    assert event.details["agency_license"] == "PPIU-123"


def test_same_email_cannot_register_twice(db):
    register()
    with pytest.raises(ValidationError) as exc:
        register(email="SARI@example.invalid")
    assert "email" in exc.value.message_dict


def test_bad_fields_are_refused_field_by_field(db):
    with pytest.raises(ValidationError) as exc:
        register(email="not-an-email", phone="021-555", password="123")
    assert set(exc.value.message_dict) == {"email", "phone", "password"}
