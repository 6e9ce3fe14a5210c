"""Builders that create test state through the real services, so audit events exist as in production."""

from __future__ import annotations

import datetime as dt
import itertools

from offices.access import SystemActor
from offices.choices import OfficeTimezone, OfficeType, Role
from offices.models import Office, Region, StaffProfile
from offices.services import assignment_create, office_create, region_get_or_create, staff_create

SYSTEM = SystemActor("tests")
PASSWORD = "a-long-test-password"
_serial = itertools.count(1)


def region(code: str = "31", name: str = "DKI Jakarta") -> Region:
    return region_get_or_create(code=code, name=name)


def office(code: str, *, type: str = OfficeType.KANIM, parent: Office | None = None,
           timezone: str = OfficeTimezone.WIB, daily_quota: int = 100, **fields) -> Office:
    return office_create(
        actor=SYSTEM, code=code, name=fields.pop("name", f"Office {code}"), type=type,
        parent=parent, region=fields.pop("region", None) or region(), timezone=timezone,
        daily_quota=daily_quota, city=fields.pop("city", "Jakarta"), **fields,
    )


def nip_for(serial: int, *, birth: str = "19850101", appointed: str = "201001", sex: str = "1") -> str:
    """A structurally valid NIP whose last three digits are ``serial``."""
    return f"{birth}{appointed}{sex}{serial:03d}"


def staff_user(role: str, office: Office, *, username: str | None = None,
               valid_from: dt.date = dt.date(2020, 1, 1), valid_until: dt.date | None = None):
    """A login for a member of staff posted at ``office`` in ``role``; returns the user."""
    serial = next(_serial)
    username = username or f"{role.lower()}{serial}"
    # 999 serials (001–999) per birth year, then the next year: unique for any number of staff.
    nip = nip_for((serial - 1) % 999 + 1, birth=f"{1950 + (serial - 1) // 999}0101")
    profile = staff_create(actor=SYSTEM, nip=nip, name=f"{role.title()} {serial}", username=username,
                           password=PASSWORD)
    assignment_create(actor=SYSTEM, staff=profile, office=office, role=role,
                      valid_from=valid_from, valid_until=valid_until)
    return profile.user


def staff_profile(nip: str, name: str = "Imported Person") -> StaffProfile:
    return staff_create(actor=SYSTEM, nip=nip, name=name)


ROLES = [Role.OFFICER, Role.OFFICE_HEAD, Role.SUPERVISOR, Role.AUDITOR]
