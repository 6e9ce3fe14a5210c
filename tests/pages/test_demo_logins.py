"""The demo command prints how supervisors and auditors pass the second factor."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from offices.choices import OfficeTimezone
from offices.second_factor import second_factor_verify
from tests import builders


@pytest.fixture
def demo_offices(db):
    builders.office("KANIM-JAKARTA-PUSAT")
    builders.office("KANIM-JAKARTA-SELATAN", timezone=OfficeTimezone.WIB)


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_seed_demo_gives_supervisor_auditor_and_admin_a_known_authenticator_secret(demo_offices):
    output = _run("seed_demo")
    assert "otpauth://totp/" in output and "demo_totp_code" in output
    assert set(TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True)) == {
        "supervisor", "auditor", "admin"}


def test_seed_demo_twice_keeps_one_device_each(demo_offices):
    _run("seed_demo")
    _run("seed_demo")
    assert TOTPDevice.objects.count() == 3


def test_demo_totp_code_prints_a_code_the_portal_accepts(demo_offices):
    _run("seed_demo")
    code = _run("demo_totp_code", "auditor").strip()
    auditor = TOTPDevice.objects.get(user__username="auditor").user
    assert len(code) == 6 and second_factor_verify(actor=auditor, token=code) is not None


def test_demo_totp_code_refuses_a_user_without_a_demo_device(demo_offices):
    _run("seed_demo")
    with pytest.raises(CommandError):
        _run("demo_totp_code", "officer")
