"""Typed reads of one record's keys: each returns a clean value or raises ``RecordError`` naming the key.

These check structure only (presence, JSON type, enum membership, shape of dates and
times). The live portal's rules (a valid NIK, capacity, serving order, four eyes) are not
applied to history: broken rules in history are what the detectors look for.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Iterable

from .problems import RecordError

MISSING = object()
UTC = dt.UTC


def _get(record: dict, key: str, *, required: bool):
    value = record.get(key, MISSING)
    if value is MISSING and required:
        raise RecordError(key, "is required")
    return value


def text(record: dict, key: str, *, required: bool = True, nullable: bool = False,
         max_length: int | None = None, blank: bool = False) -> str | None:
    """A string; ``None`` when absent (not required) or null (nullable)."""
    value = record.get(key, MISSING)
    # The common case first: this runs for several keys of every record.
    if type(value) is str and (blank or value.strip()) and (max_length is None or len(value) <= max_length):
        return value
    if value is MISSING:
        if required:
            raise RecordError(key, "is required")
        return None
    if value is None:
        if nullable:
            return None
        raise RecordError(key, "must be a string, not null")
    if not isinstance(value, str):
        raise RecordError(key, f"must be a string, not {type_name(value)}")
    if not blank and not value.strip():
        raise RecordError(key, "must not be empty")
    raise RecordError(key, f"is longer than {max_length} characters")


def choice(record: dict, key: str, allowed: Iterable[str], *, required: bool = True) -> str | None:
    """One of a fixed vocabulary (``allowed`` should be a set or frozenset)."""
    value = text(record, key, required=required)
    if value is not None and value not in allowed:
        raise RecordError(key, f"unknown value {value[:40]!r}; expected one of {', '.join(sorted(allowed))}")
    return value


def integer(record: dict, key: str, *, minimum: int | None = None, required: bool = True) -> int | None:
    value = _get(record, key, required=required)
    if value is MISSING:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(key, f"must be an integer, not {type_name(value)}")
    if minimum is not None and value < minimum:
        raise RecordError(key, f"must be at least {minimum}")
    if value > 2**31 - 1:
        raise RecordError(key, "is too large")
    return value


def timestamp(record: dict, key: str, *, required: bool = True) -> dt.datetime | None:
    """An ISO 8601 timestamp with an offset, returned in UTC."""
    value = text(record, key, required=required)
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise RecordError(key, "must be an ISO 8601 timestamp with an offset") from None
    if parsed.tzinfo is None or "T" not in value:
        raise RecordError(key, "must be an ISO 8601 timestamp with an offset (e.g. +07:00)")
    return parsed.astimezone(UTC)


def date(record: dict, key: str, *, required: bool = True, nullable: bool = False) -> dt.date | None:
    value = text(record, key, required=required, nullable=nullable)
    if value is None:
        return None
    if len(value) != 10:
        raise RecordError(key, "must be a date YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise RecordError(key, "must be a date YYYY-MM-DD") from None


def time_of_day(record: dict, key: str, *, required: bool = True) -> dt.time | None:
    """``HH:MM``, office-local."""
    value = text(record, key, required=required)
    if value is None:
        return None
    if len(value) != 5 or value[2] != ":":
        raise RecordError(key, "must be a time of day HH:MM")
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        raise RecordError(key, "must be a time of day HH:MM") from None


IPV4 = re.compile(r"^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}"
                  r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$")


def ip_address(record: dict, key: str) -> str | None:
    """An IPv4 or IPv6 address, or null."""
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise RecordError(key, f"must be a string or null, not {type_name(value)}")
    if IPV4.match(value):  # the common case, without building an address object
        return value
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise RecordError(key, "must be an IPv4 or IPv6 address") from None


def mapping(record: dict, key: str, *, required: bool = True) -> dict | None:
    value = _get(record, key, required=required)
    if value is MISSING:
        return None
    if not isinstance(value, dict):
        raise RecordError(key, f"must be an object, not {type_name(value)}")
    return value


def type_name(value) -> str:
    """The JSON name of a value's type, for messages."""
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string",
            list: "a list", dict: "an object"}.get(type(value), type(value).__name__)


def unknown_keys(record: dict, known: frozenset[str]) -> dict:
    """The keys of ``record`` the format does not define for its kind."""
    return {key: value for key, value in record.items() if key not in known}
