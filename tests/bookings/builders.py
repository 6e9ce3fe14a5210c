"""Builders for booking tests, on the real services so the trail is as in production."""

from __future__ import annotations

import datetime as dt
import itertools

from bookings.models import Account, Booking
from bookings.services import Applicant, account_register, booking_create
from offices.models import Office
from passport_portal.request_meta import RequestMeta
from tests.builders import PASSWORD

_serial = itertools.count(1)
BIRTH = dt.date(1990, 5, 17)


def nik_for(serial: int, *, birth_date: dt.date = BIRTH, woman: bool = False,
            area: str = "317401") -> str:
    """A structurally valid NIK for someone born on ``birth_date`` with serial ``serial``."""
    day = birth_date.day + (40 if woman else 0)
    return f"{area}{day:02d}{birth_date:%m%y}{serial % 10000 or 1:04d}"


def applicant(serial: int | None = None, **fields) -> Applicant:
    serial = serial if serial is not None else next(_serial)
    birth_date = fields.pop("birth_date", BIRTH)
    return Applicant(
        nik=fields.pop("nik", None) or nik_for(serial, birth_date=birth_date),
        name=fields.pop("name", f"Pemohon {serial}"), birth_date=birth_date,
        phone=fields.pop("phone", "0812-3456-7890"), email=fields.pop("email", ""),
    )


def account_user(email: str | None = None, *, ip: str = "10.0.0.1", device: str = "dev-1"):
    """A signed-up applicant; returns the user (``user.applicant_account`` is the account)."""
    email = email or f"pemohon{next(_serial)}@example.invalid"
    account = account_register(email=email, phone="081234567890", password=PASSWORD,
                               device=device, meta=RequestMeta(ip=ip))
    return account.user


def account_of(user) -> Account:
    return Account.objects.get(user=user)


def booking(user, office: Office, day: dt.date, time: dt.time = dt.time(8, 0), *,
            serial: int | None = None, service: str = "NEW", ip: str = "10.0.0.1",
            device: str = "dev-1", **fields) -> Booking:
    return booking_create(actor=user, office=office, service_date=day, slot_time=time,
                          service=service, applicant=applicant(serial, **fields), device=device,
                          meta=RequestMeta(ip=ip))
