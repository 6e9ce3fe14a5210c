"""``account`` records: an applicant's online account, identified by ``ref``.

Imported accounts have no login. The phone is stored in the portal's one form (``+628…``);
a number that cannot be read as an Indonesian mobile number is a structural error. Unknown
keys are kept in the account's ``details``. The model keeps "none" as an empty string where
the format has null (device, agency licence); the two are mapped both ways.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import orjson
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

from bookings.phones import phone_normalise

from .. import fields as f
from ..batch import Item, Known, LoadResult, Ref
from ..sql import fetch, unnest

KIND = "account"
FORMAT_KEYS = frozenset({"kind", "ref", "email", "phone", "created_at", "ip", "device", "agency_license"})
COMPARED = ("email", "phone", "created_at", "ip", "device", "agency_license", "details")


def parse(record: dict) -> tuple[str, dict, list[tuple[str, str]]]:
    ref = f.text(record, "ref", max_length=64)
    phone = f.text(record, "phone", max_length=32)
    try:
        phone = phone_normalise(phone)
    except ValidationError:
        raise f.RecordError("phone", "must be an Indonesian mobile number (08…, +628… or 628…)") from None
    data = {
        "ref": ref,
        "email": f.text(record, "email", max_length=254, blank=True),
        "phone": phone,
        "created_at": f.timestamp(record, "created_at"),
        "ip": f.ip_address(record, "ip"),
        "device": f.text(record, "device", required=False, nullable=True, max_length=128) or None,
        "agency_license": f.text(record, "agency_license", required=False, nullable=True,
                                 max_length=64) or None,
        "details": f.unknown_keys(record, FORMAT_KEYS),
    }
    return ref, data, []


def existing(refs: set[str]) -> dict[str, dict]:
    if not refs:
        return {}
    rows = fetch("""SELECT ref, id, email, phone, created_at, host(registration_ip), registration_device,
                           agency_license, details
                    FROM bookings_account WHERE ref = ANY(%s)""", [list(refs)])
    return {row[0]: {"id": row[1], "email": row[2], "phone": row[3], "created_at": row[4], "ip": row[5],
                     "device": row[6] or None, "agency_license": row[7] or None,
                     "details": json_object(row[8])}
            for row in rows}


def json_object(value) -> dict:
    """A jsonb value as a dict, whichever way the driver returned it."""
    return value if isinstance(value, dict) else orjson.loads(value or "{}")


def resolve(refs: set[str], known: Known) -> dict[str, Ref]:
    """Accounts by ref (with their login, if any), from this batch first and the database second."""
    found: dict[str, Ref] = {}
    if refs:
        for ref, account_id, user_id in fetch(
                "SELECT ref, id, user_id FROM bookings_account WHERE ref = ANY(%s)", [list(refs)]):
            batch_ref = known.get(KIND, ref)
            found[ref] = Ref(account_id, batch_ref.seq if batch_ref else 0, {"user_id": user_id})
    return found


COLUMNS = [("ref", "varchar"), ("email", "varchar"), ("phone", "varchar"), ("created_at", "timestamptz"),
           ("ip", "inet"), ("device", "varchar"), ("agency_license", "varchar"), ("details", "text")]


def _row(data: dict) -> tuple:
    return (data["ref"], data["email"], data["phone"], data["created_at"], data["ip"], data["device"],
            data["agency_license"], orjson.dumps(data["details"]).decode())


def load(items: list[Item], known: Known, *, update: bool) -> LoadResult:
    result = LoadResult()
    state = existing({item.key for item in items})
    inserts: dict[str, dict] = {}
    updates: dict[str, dict] = {}
    for item in items:
        data = item.data
        current = inserts.get(item.key) or updates.get(item.key) or state.get(item.key)
        if current is None:
            inserts[item.key] = data
            result.ok(item, "created")
            continue
        differences = [key for key in COMPARED if data[key] != current[key]]
        if not differences:
            result.ok(item, "unchanged")
        elif not update:
            result.fail(item, differences[0], f"account {item.key!r} exists with other values "
                        f"({', '.join(differences)}); import with --update to change it")
        else:
            (inserts if item.key in inserts else updates)[item.key] = data
            result.ok(item, "updated")
    if inserts:
        source, params = unnest(COLUMNS, [_row(d) for d in inserts.values()])
        fetch(f"""INSERT INTO bookings_account (ref, email, phone, verified, registration_ip,
                      registration_device, created_at, agency_license, details, booking_cap, active_bookings)
                  SELECT v.ref, v.email, v.phone, false, v.ip, coalesce(v.device, ''), v.created_at,
                         coalesce(v.agency_license, ''), v.details::jsonb, %s, 0
                  FROM {source} ON CONFLICT (ref) DO NOTHING RETURNING id""",  # noqa: S608
              [settings.BOOKING_ACCOUNT_CAP, *params])
    if updates:
        source, params = unnest(COLUMNS, [_row(d) for d in updates.values()])
        fetch(f"""UPDATE bookings_account a SET email = v.email, phone = v.phone, registration_ip = v.ip,
                      registration_device = coalesce(v.device, ''), created_at = v.created_at,
                      agency_license = coalesce(v.agency_license, ''), details = v.details::jsonb
                  FROM {source} WHERE a.ref = v.ref RETURNING a.id""", params)  # noqa: S608
    for item, outcome, _key, _message in result.outcomes:
        if outcome != "failed":
            result.register(KIND, item.key, Ref(0, item.seq))
    return result


def selection(*, since: dt.datetime | None = None, until: dt.datetime | None = None) -> tuple[str, list]:
    """The SQL condition on ``bookings_account a`` for accounts registered in the period."""
    conditions, params = ["true"], []
    if since is not None:
        conditions.append("a.created_at >= %s")
        params.append(since)
    if until is not None:
        conditions.append("a.created_at < %s")
        params.append(until)
    return " AND ".join(conditions), params


def export(*, refs_query: tuple[str, list] | None = None, chunk_size: int = 5000) -> Iterator[dict]:
    """Accounts as records, by ref; ``refs_query`` (SQL and parameters) narrows them to some refs."""
    condition, params = ("", []) if refs_query is None else (f"WHERE ref IN ({refs_query[0]})", refs_query[1])
    with connection.chunked_cursor() as cursor:
        cursor.itersize = chunk_size
        cursor.execute(f"""SELECT ref, email, phone, created_at, host(registration_ip), registration_device,
                                  agency_license, details
                           FROM bookings_account {condition} ORDER BY ref""", params)  # noqa: S608
        for ref, email, phone, created_at, ip, device, agency_license, details in cursor:
            record = {"kind": KIND, "ref": ref, "email": email, "phone": phone,
                      "created_at": created_at.astimezone(dt.UTC).isoformat(), "ip": ip,
                      "device": device or None, "agency_license": agency_license or None}
            yield with_details(record, json_object(details))


def with_details(record: dict, details: dict) -> dict:
    """``record`` with the model's ``details`` written back as top-level keys (never over the
    format's own keys)."""
    for key, value in details.items():
        record.setdefault(key, value)
    return record
