"""Planted history for detector tests, loaded through the real records-v1 importer.

Detectors read what the trail and the bookings tables hold, whether the portal wrote it or an
import of legacy records did; history is what the importer is for, and it lets a test lay down
a month of counter work in one call. Every NIK is structurally valid and agrees with its birth
date unless a test says otherwise, and no two ordinary NIKs are consecutive.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from audit.records import records_import
from tests.builders import SYSTEM

WIB = ZoneInfo("Asia/Jakarta")
MONDAY = dt.date(2025, 3, 3)
PIPELINE = ("CHECK_IN", "VERIFY_DOCUMENTS", "CAPTURE_BIOMETRICS", "INTERVIEW", "APPROVE", "PRINT")
_serial = itertools.count(1)


def nip(serial: int) -> str:
    return f"19800101200501{1 if serial % 2 else 2}{serial % 1000:03d}"


def nik(serial: int, *, born: dt.date, area: str = "317401") -> str:
    """A valid NIK for ``born``; serials are spread so ordinary ones never form a run."""
    return f"{area}{born.day:02d}{born:%m%y}{(serial * 37) % 9000 + 1:04d}"


def born_for(serial: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=(serial * 211) % 15000)


def at(day: dt.date, hhmm: str, zone: ZoneInfo = WIB) -> str:
    hour, minute = map(int, hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone).isoformat()


def working_days(start: dt.date, count: int) -> list[dt.date]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


@dataclass
class History:
    """Records to import, built in reference order; ``load()`` imports them."""

    office: str = "KANIM-H"
    region: str = "DKI Jakarta"
    records: list[dict] = field(default_factory=list)
    offices: set[str] = field(default_factory=set)

    def __post_init__(self):
        self.add_office(self.office)

    def add_office(self, code: str, *, timezone: str = "Asia/Jakarta", quota: int = 100) -> str:
        if code not in self.offices:
            self.offices.add(code)
            self.records.append({"kind": "office", "code": code, "name": f"Kantor {code}", "type": "KANIM",
                                 "parent": None, "region": self.region, "timezone": timezone,
                                 "daily_quota": quota})
        return code

    def staff(self, count: int = 1, *, office: str | None = None, role: str = "OFFICER") -> list[str]:
        nips = []
        for _ in range(count):
            serial = next(_serial)
            nips.append(nip(serial))
            self.records.append({"kind": "staff", "nip": nips[-1], "name": f"Petugas {serial}",
                                 "office": office or self.office, "role": role,
                                 "active_from": "2020-01-01", "active_until": None})
        return nips

    def account(self, *, phone: str | None = None, email: str | None = None, ip: str | None = None,
                device: str | None = None, agency_license: str | None = None,
                created: dt.date = MONDAY - dt.timedelta(days=30)) -> str:
        serial = next(_serial)
        ref = f"acc-{serial}"
        self.records.append({
            "kind": "account", "ref": ref, "email": email or f"orang{serial}@example.invalid",
            "phone": phone or f"0812{serial:08d}", "created_at": at(created, "09:00"),
            "ip": ip or f"10.{serial // 65536 % 256}.{serial // 256 % 256}.{serial % 256}",
            "device": device or f"dev-{serial}", "agency_license": agency_license})
        self.event(at(created, "09:00"), {"account": ref}, "ACCOUNT_REGISTER", office=None)
        return ref

    def booking(self, account: str | None, day: dt.date, *, slot: str = "08:00", office: str | None = None,
                status: str = "ISSUED", channel: str | None = None, nik_value: str | None = None,
                born: dt.date | None = None, phone: str | None = None, email: str | None = None,
                ip: str | None = None, device: str | None = None,
                created: str | None = None) -> str:
        serial = next(_serial)
        ref = f"bk-{serial}"
        born = born or born_for(serial)
        created = created or at(day - dt.timedelta(days=7), "10:00")
        self.records.append({
            "kind": "booking", "ref": ref, "account": account, "office": office or self.office,
            "service_date": day.isoformat(), "slot": slot, "service": "NEW",
            "channel": channel or ("ONLINE" if account else "WALK_IN"),
            "nik": nik_value or nik(serial, born=born), "name": f"Pemohon {serial}",
            "birth_date": born.isoformat(), "phone": phone or f"0813{serial:08d}", "email": email,
            "created_at": created, "ip": ip or f"10.200.{serial // 256 % 256}.{serial % 256}",
            "device": device or f"bdev-{serial}", "status": status})
        if account:
            self.event(created, {"account": account}, "BOOK", booking=ref, office=office or self.office)
        return ref

    def event(self, when: str, actor: dict, action: str, *, booking: str | None = None,
              office: str | None = "", details: dict | None = None, ip: str | None = None) -> None:
        self.records.append({"kind": "event", "at": when, "actor": actor,
                             "office": self.office if office == "" else office, "action": action,
                             "booking": booking, "ip": ip, "details": details or {}})

    def serve(self, booking: str, day: dt.date, officers: dict[str, str] | str, *, start: str = "08:30",
              minutes: int = 10, office: str | None = None, steps=PIPELINE,
              collected_by: str | None = "applicant", hand_over_by: str | None = None) -> None:
        """The counter path of one booking from check-in to print (and hand-over a week later).

        ``officers`` maps each step to a NIP (missing steps go to the ``"*"`` entry), or is one
        NIP for every step.
        """
        if isinstance(officers, str):
            officers = {"*": officers}
        clock = dt.datetime.combine(day, dt.time(*map(int, start.split(":"))), tzinfo=WIB)
        for step in steps:
            who = officers.get(step, officers.get("*"))
            self.event(clock.isoformat(), {"staff": who}, step, booking=booking, office=office or self.office)
            clock += dt.timedelta(minutes=minutes)
        if collected_by is not None:
            handed = dt.datetime.combine(day + dt.timedelta(days=7), dt.time(10, 0), tzinfo=WIB)
            who = hand_over_by or officers.get("HAND_OVER", officers.get("*"))
            self.event(handed.isoformat(), {"staff": who}, "HAND_OVER", booking=booking,
                       office=office or self.office, details={"collected_by": collected_by})

    def ordinary_day(self, day: dt.date, officers: list[str], count: int, *, start: str = "08:00",
                     gap_minutes: int = 4, office: str | None = None, channel: str | None = None) -> list[str]:
        """``count`` ordinary applicants, each on their own account, served in check-in order.

        Officers take turns at the counter; the approver is always the next officer in turn, so
        four eyes are kept whenever two or more officers are on duty.
        """
        refs = []
        opening = dt.datetime.combine(day, dt.time(*map(int, start.split(":"))))
        for i in range(count):
            account = None if channel in ("WALK_IN", "PRIORITY") else self.account()
            ref = self.booking(account, day, office=office, channel=channel)
            checker, approver = officers[i % len(officers)], officers[(i + 1) % len(officers)]
            begin = (opening + dt.timedelta(minutes=gap_minutes * i)).strftime("%H:%M")
            self.serve(ref, day, {"*": checker, "APPROVE": approver}, start=begin, office=office)
            refs.append(ref)
        return refs

    def ring(self, size: int = 4, *, phone: str = "081299990000") -> list[str]:
        """Accounts of one broker, linked by a shared phone."""
        return [self.account(phone=phone) for _ in range(size)]

    def load(self):
        """Import everything through records-v1; fails the test on any refused record."""
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "history.jsonl"
            path.write_text("\n".join(json.dumps(record) for record in self.records) + "\n")
            report = records_import(actor=SYSTEM, paths=[str(path)], progress=False)
        problems = [str(problem) for problem in report.problems() if problem.severity == "error"]
        assert not problems, problems[:5]
        self.records = []
        return report
