"""An event's content hash: the SQL that recomputes it, and the same hash computed in Python.

The definition lives in the database (``audit_event_content_hash``, migration 0003): sealing and
verification always recompute it there, from the row, and never trust a stored hash. The insert
trigger fills ``content_hash`` only when the writer leaves it empty (migration 0010); the
records importer supplies it, computed here from the very values it COPYs, which saves the
database the one costly step of a bulk load (docs/audit-trail.md, "The content hash").

Python must therefore write exactly PostgreSQL's ``jsonb`` text form: keys ordered by length
in UTF-8 bytes then bytewise, ``", "`` and ``": "`` as separators, PostgreSQL's string escapes
(orjson's are the same), numbers as ``numeric`` prints them, addresses as ``host(inet)`` prints
them. tests/audit/test_content_hash_python.py holds the two against each other on random and
awkward values; a row whose supplied hash is wrong is reported by ``verify_audit``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
from collections.abc import Mapping
from decimal import Decimal

import orjson

HASHED_COLUMNS = (
    "id", "at", "recorded_at", "actor_type", "actor_id", "actor_role", "actor_user_id",
    "office_id", "action", "target_type", "target_id", "ip", "user_agent", "request_id",
    "details", "source", "txid", "import_key",
)
#: Every column of an event row, in table order: archived partitions are read with it.
EVENT_COLUMNS = (*HASHED_COLUMNS, "content_hash")
#: The columns between ``recorded_at`` and ``txid``, in the order the hash takes them.
MIDDLE_COLUMNS = HASHED_COLUMNS[3:16]

_dumps = orjson.dumps
_sha256 = hashlib.sha256


def content_hash_sql(alias: str = "e") -> str:
    """``audit_event_content_hash(e.id, e.at, …)`` for rows aliased ``alias``."""
    return "audit_event_content_hash({})".format(", ".join(f"{alias}.{c}" for c in HASHED_COLUMNS))


def quote(value: str) -> str:
    """A JSON string as PostgreSQL writes it (``"``, ``\\`` and controls below U+0020 escaped,
    ``\\u00XX`` in lowercase hex, everything else as itself): orjson escapes exactly so."""
    return _dumps(value).decode()


def number_text(value: int | float) -> str:
    """A JSON number as ``jsonb`` prints it: ``numeric`` notation, never an exponent.

    A float reaches the database as orjson writes it (``1e-7``, ``100.0``); ``numeric`` keeps
    the digits and the scale that text implies (``0.0000001``, ``100.0``) and has no negative
    zero. Infinities and NaN are written ``null`` by orjson, and so stored.
    """
    if type(value) is int:
        return str(value)
    written = _dumps(value).decode()
    if written == "null":
        return written
    text = format(Decimal(written), "f")
    return text[1:] if text.startswith("-") and not Decimal(written) else text


def _key_order(key: str) -> tuple[int, str]:
    # Code-point order is UTF-8 byte order, so the string itself breaks ties.
    return (len(key.encode()), key)


def jsonb_text(value) -> str:
    """``value`` (what orjson reads from and writes to JSON) in ``jsonb``'s canonical text form."""
    kind = type(value)
    if kind is str:
        return _dumps(value).decode()
    if kind is dict:
        if not value:
            return "{}"
        return "{" + ", ".join(f"{_dumps(key).decode()}: {jsonb_text(value[key])}"
                               for key in sorted(value, key=_key_order)) + "}"
    if kind is list or kind is tuple:
        return "[" + ", ".join(jsonb_text(item) for item in value) + "]"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int or kind is float:
        return number_text(value)
    raise TypeError(f"{kind.__name__} is not a JSON value")


def utc_text(moment: dt.datetime) -> str:
    """``to_char(moment AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')``."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")[:-6] + "Z"


def host_text(address: str | None) -> str | None:
    """``host(address::inet)``: an IPv4 address as dotted quad; IPv6 as PostgreSQL prints it
    (the longest run of two or more zero groups, the first of equals, becomes ``::``; an
    IPv4-mapped or IPv4-compatible address ends in a dotted quad)."""
    if address is None:
        return None
    parsed = ipaddress.ip_address(address)
    if parsed.version == 4:
        return str(parsed)
    packed = parsed.packed
    words = [int.from_bytes(packed[i:i + 2], "big") for i in range(0, 16, 2)]
    best_base, best_len, base = -1, 0, -1
    for i, word in enumerate([*words, 1]):  # a sentinel closes a trailing run
        if word == 0 and base == -1:
            base = i
        elif word != 0 and base != -1:
            if i - base > best_len:
                best_base, best_len = base, i - base
            base = -1
    if best_len < 2:
        best_base = -1
    parts: list[str] = []
    for i in range(8):
        if best_base != -1 and best_base <= i < best_base + best_len:
            if i == best_base:
                parts.append(":")
            continue
        if i:
            parts.append(":")
        if i == 6 and best_base == 0 and (best_len == 6 or (best_len == 5 and words[5] == 0xFFFF)):
            parts.append(".".join(str(b) for b in packed[12:]))
            break
        parts.append(f"{words[i]:x}")
    if best_base != -1 and best_base + best_len == 8:
        parts.append(":")
    return "".join(parts)


def _scalar(value) -> str:
    """A column value inside the hashed array: text as a JSON string, integers, null."""
    if value is None:
        return "null"
    if type(value) is str:
        return _dumps(value).decode()
    return str(value)


def middle_text(actor_type: str, actor_id: str, actor_role: str, actor_user_id: int | None,
                office_id: int | None, action: str, target_type: str, target_id: str,
                ip: str | None, user_agent: str, request_id: str, details_text: str,
                source: str, /) -> str:
    """The hashed array's members from ``actor_type`` to ``source`` (``MIDDLE_COLUMNS``), joined;
    ``details_text`` is the details' ``jsonb_text``. Everything a loader knows before a row
    gets its id, recording time and transaction. An IPv4 address must be a plain dotted quad."""
    host = None if ip is None else ip if "." in ip and ":" not in ip else host_text(ip)
    plain = "".join((actor_type, actor_id, actor_role, action, target_type, target_id, host or "",
                     user_agent, request_id, source))
    if '"' not in plain and "\\" not in plain and plain.isprintable():
        # The common case: no character needs escaping, so each string is itself in quotes.
        user = "null" if actor_user_id is None else actor_user_id
        office = "null" if office_id is None else office_id
        address = "null" if host is None else '"' + host + '"'
        return (f'"{actor_type}", "{actor_id}", "{actor_role}", {user}, {office}, "{action}", '
                f'"{target_type}", "{target_id}", {address}, "{user_agent}", "{request_id}", '
                f'{details_text}, "{source}"')
    return ", ".join((
        _scalar(actor_type), _scalar(actor_id), _scalar(actor_role), _scalar(actor_user_id),
        _scalar(office_id), _scalar(action), _scalar(target_type), _scalar(target_id),
        _scalar(host), _scalar(user_agent), _scalar(request_id), details_text, _scalar(source)))


def utc_text_from_iso(iso: str) -> str:
    """``utc_text`` of a UTC moment from its ``isoformat()`` (which omits zero microseconds)."""
    return f"{iso[:19]}.000000Z" if len(iso) == 25 else f"{iso[:26]}Z"


def hash_from_parts(event_id: int, at_text: str, recorded_at_text: str, middle: str, txid: int,
                    import_key_hex: str | None) -> bytes:
    """SHA-256 of the canonical array, from its parts (the importer's fast path)."""
    key = "null" if import_key_hex is None else f'"{import_key_hex}"'
    return _sha256(f'["audit-event-v1", {event_id}, "{at_text}", "{recorded_at_text}", {middle}, '
                   f'{txid}, {key}]'.encode()).digest()


def content_hash(row: Mapping) -> bytes:
    """The hash ``audit_event_content_hash`` gives a row (a mapping of ``HASHED_COLUMNS``;
    ``details`` as a JSON value, ``import_key`` as bytes or None)."""
    middle = middle_text(*(jsonb_text(row[c]) if c == "details" else row[c] for c in MIDDLE_COLUMNS))
    key = row["import_key"]
    return hash_from_parts(row["id"], utc_text(row["at"]), utc_text(row["recorded_at"]), middle,
                           row["txid"], None if key is None else bytes(key).hex())
