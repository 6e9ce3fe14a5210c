"""Page-test helpers: sign in as a role (with the second factor where the role needs it)."""

from __future__ import annotations

import csv
import io

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from offices.access import reach_of
from offices.choices import OfficeTimezone, OfficeType
from offices.second_factor import totp_device_confirm, totp_device_prepare
from tests import builders


def current_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or ``steps_ahead`` periods later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrol(user) -> TOTPDevice:
    """Give ``user`` a confirmed TOTP device through the real service."""
    device = totp_device_prepare(actor=user)
    confirmed = totp_device_confirm(actor=user, token=current_code(device))
    assert confirmed is not None
    return confirmed


def sign_in(client, user):
    """Sign ``user`` in; a role that needs the second factor gets an enrolled, verified session."""
    client.force_login(user)
    if reach_of(user).needs_second_factor:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or enrol(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def as_user(client):
    """``as_user(user)`` returns the test client signed in as ``user``."""
    return lambda user: sign_in(client, user)


@pytest.fixture
def big_network(network):
    """150 more offices in three provinces, in three zones: a Kanim with a unit each."""
    regions = [builders.region("51", "Bali"), builders.region("94", "Papua"), builders.region("31")]
    zones = [OfficeTimezone.WITA, OfficeTimezone.WIT, OfficeTimezone.WIB]
    for n in range(75):
        region, zone = regions[n % 3], zones[n % 3]
        kanim = builders.office(f"K-{n:03d}", region=region, timezone=zone, daily_quota=100 + n)
        builders.office(f"U-{n:03d}", type=OfficeType.LTSP, parent=kanim, region=region, timezone=zone)
    return network


def csv_export(response) -> list[list[str]]:
    """The rows of a page's streamed CSV export (its byte-order mark dropped)."""
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))
