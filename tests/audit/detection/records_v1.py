"""A strict, independent reading of the records-v1 format for tests: every line, every key.

Written from the format's description, not from the generator, so that the generator is held to
the contract the importer reads. ``validate_lines`` returns problems as (line, key, message).
"""

from __future__ import annotations

import datetime as dt
import re

KINDS = {"office", "staff", "account", "booking", "event", "finding"}
OFFICE_TYPES = {"KANIM", "ULP", "LTSP", "UKK", "MPP"}
ZONES = {"Asia/Jakarta": "+07:00", "Asia/Makassar": "+08:00", "Asia/Jayapura": "+09:00"}
ROLES = {"OFFICER", "OFFICE_HEAD", "SUPERVISOR", "AUDITOR"}
SERVICES = {"NEW", "RENEWAL", "REPLACE_LOST", "REPLACE_DAMAGED"}
CHANNELS = {"ONLINE", "WALK_IN", "PRIORITY"}
STATUSES = {"BOOKED", "CANCELLED", "CHECKED_IN", "IN_PROCESS", "APPROVED", "REJECTED", "ISSUED", "NO_SHOW"}
ACCOUNT_ACTIONS = {"ACCOUNT_REGISTER", "ACCOUNT_LOGIN", "BOOK", "BOOKING_CANCEL", "BOOKING_RESCHEDULE"}
STAFF_BOOKING_ACTIONS = {"CHECK_IN", "VERIFY_DOCUMENTS", "CAPTURE_BIOMETRICS", "INTERVIEW", "APPROVE", "REJECT",
                         "PRINT", "HAND_OVER", "MARK_NO_SHOW", "CANCEL", "RESCHEDULE", "WALK_IN_INSERT",
                         "OVERRIDE", "VIEW_APPLICANT"}
STAFF_OTHER_ACTIONS = {"STAFF_LOGIN", "STAFF_LOGOUT", "QUOTA_CHANGE"}
ACTIONS = ACCOUNT_ACTIONS | STAFF_BOOKING_ACTIONS | STAFF_OTHER_ACTIONS
BOOKING_ACTIONS = (ACCOUNT_ACTIONS - {"ACCOUNT_REGISTER", "ACCOUNT_LOGIN"}) | STAFF_BOOKING_ACTIONS
DETAIL_KEYS = {
    "BOOKING_RESCHEDULE": {"from_date", "from_slot", "to_date", "to_slot"},
    "RESCHEDULE": {"from_date", "from_slot", "to_date", "to_slot"},
    "REJECT": {"reason"}, "CANCEL": {"reason"}, "HAND_OVER": {"collected_by"},
    "OVERRIDE": {"skipped", "reason"}, "QUOTA_CHANGE": {"date", "old", "new"},
}
PROVINCES = {"11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36",
             "51", "52", "53", "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76", "81", "82",
             "91", "92", "93", "94", "95", "96"}
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?[+-]\d{2}:\d{2}$")
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
PHONE = re.compile(r"^(\+628|08)\d{7,12}$")


def nik_is_valid(nik: str) -> bool:
    """The format's structural rule: 16 digits, a known province, non-zero area and serial, a real date."""
    if not (isinstance(nik, str) and len(nik) == 16 and nik.isdigit()):
        return False
    if nik[:2] not in PROVINCES or nik[2:4] == "00" or nik[4:6] == "00" or nik[12:] == "0000":
        return False
    return nik_birth_date(nik) is not None


def nik_birth_date(nik: str) -> dt.date | None:
    """The birth date a NIK encodes (women have 40 added to the day); None when it is no date.
    A two-digit year is read as the most recent year not after 2017."""
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    day = day - 40 if day > 40 else day
    century = 2000 if year <= 17 else 1900
    try:
        return dt.date(century + year, month, day)
    except ValueError:
        return None


def nik_agrees(nik: str, birth_date: str) -> bool:
    born = dt.date.fromisoformat(birth_date)
    encoded = nik_birth_date(nik)
    return encoded is not None and (encoded.day, encoded.month, encoded.year % 100) == (
        born.day, born.month, born.year % 100)


class Problems(list):
    def add(self, line: int, key: str, message: str) -> None:
        self.append((line, key, message))


def _is_date(value) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_timestamp(value) -> bool:
    if not isinstance(value, str) or not TIMESTAMP.match(value):
        return False
    try:
        return dt.datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


class Validator:
    """Checks records in file order: keys, types, enums, and references to earlier records."""

    def __init__(self):
        self.offices: dict[str, str] = {}  # code -> type
        self.staff: set[str] = set()
        self.accounts: set[str] = set()
        self.bookings: set[str] = set()
        self.problems = Problems()

    def _required(self, line, record, keys) -> bool:
        missing = [key for key in keys if key not in record]
        for key in missing:
            self.problems.add(line, key, "missing")
        return not missing

    def _string(self, line, record, key, *, nullable=False):
        value = record.get(key)
        if value is None and nullable:
            return
        if not isinstance(value, str) or not value:
            self.problems.add(line, key, f"not a non-empty string: {value!r}")

    def _enum(self, line, record, key, allowed):
        if record.get(key) not in allowed:
            self.problems.add(line, key, f"unknown value {record.get(key)!r}")

    def record(self, line: int, record) -> None:
        if not isinstance(record, dict):
            self.problems.add(line, "", "not an object")
            return
        kind = record.get("kind")
        if kind not in KINDS:
            self.problems.add(line, "kind", f"unknown kind {kind!r}")
            return
        getattr(self, f"_{kind}")(line, record)

    def _office(self, line, r):
        if not self._required(line, r, ("code", "name", "type", "parent", "region", "timezone", "daily_quota")):
            return
        self._string(line, r, "code")
        if len(r["code"]) > 32:
            self.problems.add(line, "code", "longer than 32")
        self._string(line, r, "name")
        self._enum(line, r, "type", OFFICE_TYPES)
        if r["type"] == "KANIM" and r["parent"] is not None:
            self.problems.add(line, "parent", "a Kanim has no parent")
        if r["type"] != "KANIM" and self.offices.get(r["parent"]) != "KANIM":
            self.problems.add(line, "parent", "a unit's parent must be an earlier Kanim")
        self._string(line, r, "region")
        self._enum(line, r, "timezone", ZONES)
        if not isinstance(r["daily_quota"], int) or isinstance(r["daily_quota"], bool) or r["daily_quota"] < 0:
            self.problems.add(line, "daily_quota", "not an integer >= 0")
        if r["code"] in self.offices:
            self.problems.add(line, "code", "duplicate")
        self.offices[r["code"]] = r["type"]

    def _staff(self, line, r):
        if not self._required(line, r, ("nip", "name", "office", "role", "active_from", "active_until")):
            return
        if not (isinstance(r["nip"], str) and len(r["nip"]) == 18 and r["nip"].isdigit()):
            self.problems.add(line, "nip", "not 18 digits")
        if r["nip"] in self.staff:
            self.problems.add(line, "nip", "duplicate")
        self._string(line, r, "name")
        if r["office"] not in self.offices:
            self.problems.add(line, "office", "unknown office")
        self._enum(line, r, "role", ROLES)
        if not _is_date(r["active_from"]):
            self.problems.add(line, "active_from", "not a date")
        if r["active_until"] is not None and not _is_date(r["active_until"]):
            self.problems.add(line, "active_until", "not a date or null")
        self.staff.add(r["nip"])

    def _account(self, line, r):
        if not self._required(line, r, ("ref", "email", "phone", "created_at", "ip", "device", "agency_license")):
            return
        self._string(line, r, "ref")
        if r["ref"] in self.accounts:
            self.problems.add(line, "ref", "duplicate")
        self._string(line, r, "email")
        if not isinstance(r["phone"], str) or not PHONE.match(r["phone"]):
            self.problems.add(line, "phone", f"not an Indonesian number: {r['phone']!r}")
        if not _is_timestamp(r["created_at"]):
            self.problems.add(line, "created_at", "not a timestamp with an offset")
        for key in ("ip", "device", "agency_license"):
            self._string(line, r, key, nullable=True)
        self.accounts.add(r["ref"])

    def _booking(self, line, r):
        keys = ("ref", "account", "office", "service_date", "slot", "service", "channel", "nik", "name",
                "birth_date", "phone", "email", "created_at", "ip", "device", "status")
        if not self._required(line, r, keys):
            return
        self._string(line, r, "ref")
        if r["ref"] in self.bookings:
            self.problems.add(line, "ref", "duplicate")
        if r["account"] is not None and r["account"] not in self.accounts:
            self.problems.add(line, "account", "dangling or later account")
        if r["office"] not in self.offices:
            self.problems.add(line, "office", "unknown office")
        for key in ("service_date", "birth_date"):
            if not _is_date(r[key]):
                self.problems.add(line, key, "not a date")
        if not isinstance(r["slot"], str) or not HHMM.match(r["slot"]):
            self.problems.add(line, "slot", "not HH:MM")
        self._enum(line, r, "service", SERVICES)
        self._enum(line, r, "channel", CHANNELS)
        self._enum(line, r, "status", STATUSES)
        for key in ("nik", "name", "phone"):
            self._string(line, r, key)
        for key in ("email", "ip", "device"):
            self._string(line, r, key, nullable=True)
        if not _is_timestamp(r["created_at"]):
            self.problems.add(line, "created_at", "not a timestamp with an offset")
        self.bookings.add(r["ref"])

    def _event(self, line, r):
        if not self._required(line, r, ("at", "actor", "office", "action", "booking", "ip", "details")):
            return
        if not _is_timestamp(r["at"]):
            self.problems.add(line, "at", "not a timestamp with an offset")
        actor = r["actor"]
        if not (isinstance(actor, dict) and len(actor) == 1 and next(iter(actor)) in ("staff", "account", "system")):
            self.problems.add(line, "actor", "not exactly one of staff/account/system")
            return
        (actor_type, actor_id), = actor.items()
        if actor_type == "staff" and actor_id not in self.staff:
            self.problems.add(line, "actor.staff", "unknown staff")
        if actor_type == "account" and actor_id not in self.accounts:
            self.problems.add(line, "actor.account", "unknown account")
        if actor_type == "staff" and r["office"] is None:
            self.problems.add(line, "office", "required for staff actions")
        if r["office"] is not None and r["office"] not in self.offices:
            self.problems.add(line, "office", "unknown office")
        self._enum(line, r, "action", ACTIONS)
        action = r["action"]
        if actor_type == "account" and action not in ACCOUNT_ACTIONS:
            self.problems.add(line, "action", f"{action} is not an account action")
        if actor_type == "staff" and action in ACCOUNT_ACTIONS:
            self.problems.add(line, "action", f"{action} is not a staff action")
        if actor_type == "system" and action != "MARK_NO_SHOW":
            self.problems.add(line, "action", f"{action} is not a system action here")
        if action in BOOKING_ACTIONS and r["booking"] not in self.bookings:
            self.problems.add(line, "booking", "dangling or later booking")
        if action not in BOOKING_ACTIONS and r["booking"] is not None:
            self.problems.add(line, "booking", f"{action} concerns no booking")
        self._string(line, r, "ip", nullable=True)
        if not isinstance(r["details"], dict):
            self.problems.add(line, "details", "not an object")
        elif not DETAIL_KEYS.get(action, set()) <= r["details"].keys():
            self.problems.add(line, "details", f"{action} needs {sorted(DETAIL_KEYS[action])}")

    def _finding(self, line, r):
        self._required(line, r, ("detector", "category", "score", "subjects", "window", "summary", "evidence"))


def validate_records(records) -> Problems:
    validator = Validator()
    for line, record in enumerate(records, start=1):
        validator.record(line, record)
    return validator.problems
