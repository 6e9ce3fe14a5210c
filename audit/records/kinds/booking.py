"""``booking`` records: one applicant's application at one office on one day, identified by ``ref``.

Imported bookings are marked ``imported`` and take no slot: history is kept as it was, so the
live rules (a valid NIK, capacity, one active booking per NIK, the account cap) do not apply
to them. The NIK is stored as recorded and never repeated in a message. A null email or device is
kept as the model's empty string, and written back as null. Statuses are mapped
between the format's coarse vocabulary and the portal's finer one (``bookings.choices``);
two bookings whose statuses map to the same records status are the same. Unknown keys are
kept in ``details``.

An anonymised booking (retention blanked its applicant) travels with the portal's own key
``anonymised_at`` and placeholders where the format requires a non-empty value (``nik``,
``name``). The import stores it as retention leaves it: personal fields blank, no account,
the birth date on 1 January. A marked record that still carries personal data is refused,
so a file can never put a person back into an anonymised row, nor store a placeholder as a
person.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator

import orjson
from django.db import connection

from bookings.choices import RECORDS_STATUS, STATUS_FROM_RECORDS, Channel, Service
from bookings.models.booking import CODE_ALPHABET

from .. import fields as f
from ..batch import Item, Known, LoadResult, Ref
from ..sql import fetch, unnest
from . import account as account_kind
from . import office as office_kind

KIND = "booking"
FORMAT_KEYS = frozenset({"kind", "ref", "account", "office", "service_date", "slot", "service", "channel",
                         "nik", "name", "birth_date", "phone", "email", "created_at", "ip", "device",
                         "status", "anonymised_at"})
SERVICES = frozenset(Service.values)
CHANNELS = frozenset(Channel.values)
STATUSES = frozenset(STATUS_FROM_RECORDS)
COMPARED = ("account", "office", "service_date", "slot", "service", "channel", "nik", "name",
            "birth_date", "phone", "email", "created_at", "ip", "device", "status", "details",
            "anonymised_at")

#: What an anonymised booking carries where the format requires a non-empty string. Not a NIK's
#: shape (letters), so no reader can take it for one.
ANONYMISED_NIK = "ANONYMISED"
ANONYMISED_NAME = "ANONYMISED"
#: The keys retention leaves empty, with the only value a marked record may give each.
ANONYMISED_BLANKS = {"nik": ANONYMISED_NIK, "name": ANONYMISED_NAME, "phone": "", "email": None,
                     "ip": None, "device": None, "account": None}


def parse(record: dict) -> tuple[str, dict, list[tuple[str, str]]]:
    ref = f.text(record, "ref", max_length=64)
    nik = record.get("nik")
    if not isinstance(nik, str) or not nik.strip() or len(nik) > 32:
        # History may hold invalid NIKs; only the shape of the value is checked, never echoed.
        raise f.RecordError("nik", "must be a non-empty string of at most 32 characters")
    data = {
        "ref": ref,
        "account": f.text(record, "account", required=False, nullable=True, max_length=64),
        "office": f.text(record, "office", max_length=32),
        "service_date": f.date(record, "service_date"),
        "slot": f.time_of_day(record, "slot").strftime("%H:%M"),
        "service": f.choice(record, "service", SERVICES),
        "channel": f.choice(record, "channel", CHANNELS),
        "nik": nik,
        "name": f.text(record, "name", max_length=200),
        "birth_date": f.date(record, "birth_date"),
        "phone": f.text(record, "phone", max_length=32, blank=True),
        "email": f.text(record, "email", required=False, nullable=True, max_length=254, blank=True) or None,
        "created_at": f.timestamp(record, "created_at"),
        "ip": f.ip_address(record, "ip"),
        "device": f.text(record, "device", required=False, nullable=True, max_length=128, blank=True) or None,
        "status": f.choice(record, "status", STATUSES),
        "details": f.unknown_keys(record, FORMAT_KEYS),
        "anonymised_at": None,
    }
    if record.get("anonymised_at") is not None:
        return ref, data, _anonymised(record, data)
    return ref, data, []


def _anonymised(record: dict, data: dict) -> list[tuple[str, str]]:
    """Check a booking marked ``anonymised_at`` and turn ``data`` into what retention leaves.

    Personal data beside the mark is refused rather than blanked: such a file contradicts
    itself, and whoever wrote it should know. Values are never echoed.
    """
    data["anonymised_at"] = f.timestamp(record, "anonymised_at")
    for key, allowed in ANONYMISED_BLANKS.items():
        if data[key] != allowed:
            shown = "null" if allowed is None else repr(allowed)
            raise f.RecordError(key, f"must be {shown} in an anonymised booking (anonymised_at is set); "
                                     "its personal data were removed")
    if (data["birth_date"].month, data["birth_date"].day) != (1, 1):
        raise f.RecordError("birth_date", "must be 1 January of the birth year in an anonymised booking "
                                          "(anonymised_at is set)")
    # Retention blanks imported details too: unknown keys have no place in an anonymised row.
    warnings = [(key, "ignored: an anonymised booking keeps no further keys")
                for key in sorted(data["details"])]
    data.update(nik="", name="", details={})
    return warnings


def existing(refs: set[str]) -> dict[str, dict]:
    if not refs:
        return {}
    rows = fetch("""SELECT b.ref, b.id, a.ref, o.code, b.service_date, to_char(b.slot_time, 'HH24:MI'),
                           b.service, b.channel, b.nik, b.name, b.birth_date, b.phone, b.email, b.created_at,
                           host(b.ip), b.device, b.status, b.details, b.anonymised_at
                    FROM bookings_booking b JOIN offices_office o ON o.id = b.office_id
                    LEFT JOIN bookings_account a ON a.id = b.account_id
                    WHERE b.ref = ANY(%s)""", [list(refs)])
    keys = ("id", "account", "office", "service_date", "slot", "service", "channel", "nik", "name",
            "birth_date", "phone", "email", "created_at", "ip", "device", "db_status", "details",
            "anonymised_at")
    found = {}
    for row in rows:
        values = dict(zip(keys, row[1:], strict=True))
        values["details"] = account_kind.json_object(values["details"])
        values["email"], values["device"] = values["email"] or None, values["device"] or None
        values["status"] = RECORDS_STATUS.get(values["db_status"], values["db_status"])
        found[row[0]] = values
    return found


def resolve(refs: set[str], known: Known) -> dict[str, Ref]:
    """Bookings by ref, from this batch first and the database second (one query)."""
    found: dict[str, Ref] = {}
    if refs:
        rows = fetch("SELECT ref, id FROM bookings_booking WHERE ref = ANY(%s)", [list(refs)])
        for ref, booking_id in rows:
            batch_ref = known.get(KIND, ref)
            found[ref] = Ref(booking_id, batch_ref.seq if batch_ref else 0)
    return found


COLUMNS = [("ref", "varchar"), ("code", "varchar"), ("account", "varchar"), ("office", "varchar"),
           ("service_date", "date"), ("slot", "time"), ("service", "varchar"), ("channel", "varchar"),
           ("status", "varchar"), ("nik", "varchar"), ("name", "varchar"), ("birth_date", "date"),
           ("phone", "varchar"), ("email", "varchar"), ("created_at", "timestamptz"), ("ip", "inet"),
           ("device", "varchar"), ("details", "text"), ("anonymised_at", "timestamptz")]


def _new_code() -> str:
    """A booking code as the portal makes them (ten characters of its 32-letter alphabet),
    drawn from one call to the system's random source instead of ten."""
    return "".join(CODE_ALPHABET[byte & 31] for byte in secrets.token_bytes(10))


def _row(data: dict, status: str) -> tuple:
    return (data["ref"], _new_code(), data["account"], data["office"], data["service_date"],
            data["slot"], data["service"], data["channel"], status, data["nik"], data["name"],
            data["birth_date"], data["phone"], data["email"], data["created_at"], data["ip"],
            data["device"], orjson.dumps(data["details"]).decode(), data["anonymised_at"])


def load(items: list[Item], known: Known, *, update: bool) -> LoadResult:
    result = LoadResult()
    state = existing({item.key for item in items})
    offices = office_kind.resolve({item.data["office"] for item in items}, known)
    accounts = account_kind.resolve({item.data["account"] for item in items if item.data["account"]}, known)
    inserts: dict[str, tuple] = {}
    updates: dict[str, tuple] = {}
    for item in items:
        data = item.data
        office = offices.get(data["office"])
        if office is None or office.seq > item.seq:
            result.fail(item, "office", f"no office with code {data['office']!r} before this record")
            continue
        if data["account"] is not None:
            account = accounts.get(data["account"])
            if account is None or account.seq > item.seq:
                result.fail(item, "account", f"no account with ref {data['account']!r} before this record")
                continue
        pending = inserts.get(item.key) or updates.get(item.key)
        current = pending[0] if pending else state.get(item.key)
        if current is None:
            inserts[item.key] = (data, STATUS_FROM_RECORDS[data["status"]])
            result.ok(item, "created")
            continue
        differences = [key for key in COMPARED if data[key] != current[key]]
        if not differences:
            result.ok(item, "unchanged")
        elif current["anonymised_at"] is not None:
            # Retention removed the applicant for good: no file brings personal data back.
            result.fail(item, differences[0], f"booking {item.key!r} is anonymised and cannot be "
                        f"changed by an import ({', '.join(differences)})")
        elif not update:
            result.fail(item, differences[0], f"booking {item.key!r} exists with other values "
                        f"({', '.join(differences)}); import with --update to change it")
        else:
            # A status the portal holds more finely is kept when the records status agrees.
            same = data["status"] == current["status"]
            status = current.get("db_status", STATUS_FROM_RECORDS[data["status"]]) if same \
                else STATUS_FROM_RECORDS[data["status"]]
            (inserts if item.key in inserts else updates)[item.key] = (data, status)
            result.ok(item, "updated")
    _write(inserts, updates)
    for item, outcome, _key, _message in result.outcomes:
        if outcome != "failed":
            result.register(KIND, item.key, Ref(0, item.seq))
    return result


def _write(inserts: dict[str, tuple], updates: dict[str, tuple]) -> None:
    if inserts:
        # Ids follow the file's order: export orders bookings created in the same instant by id,
        # so the export of an import writes them as the file did.
        source, params = unnest(COLUMNS, [_row(data, status) for data, status in inserts.values()],
                                ordinality=True)
        fetch(f"""INSERT INTO bookings_booking (ref, code, account_id, office_id, slot_id, service_date,
                      slot_time, service, channel, status, nik, name, birth_date, phone, email, created_at,
                      ip, device, imported, details, collected_by, anonymised_at)
                  SELECT v.ref, v.code, a.id, o.id, NULL, v.service_date, v.slot, v.service, v.channel,
                         v.status, v.nik, v.name, v.birth_date, v.phone, coalesce(v.email, ''),
                         v.created_at, v.ip, coalesce(v.device, ''), true, v.details::jsonb, '',
                         v.anonymised_at
                  FROM {source} JOIN offices_office o ON o.code = v.office
                  LEFT JOIN bookings_account a ON a.ref = v.account ORDER BY v.ord
                  ON CONFLICT (ref) DO NOTHING RETURNING id""", params)  # noqa: S608
    if updates:
        source, params = unnest(COLUMNS, [_row(data, status) for data, status in updates.values()])
        fetch(f"""UPDATE bookings_booking b SET account_id = a.id, office_id = o.id,
                      service_date = v.service_date, slot_time = v.slot, service = v.service,
                      channel = v.channel, status = v.status, nik = v.nik, name = v.name,
                      birth_date = v.birth_date, phone = v.phone, email = coalesce(v.email, ''),
                      created_at = v.created_at, ip = v.ip, device = coalesce(v.device, ''),
                      details = v.details::jsonb, anonymised_at = v.anonymised_at,
                      -- anonymising as retention does: a third party's NIK goes too
                      collected_by = CASE WHEN v.anonymised_at IS NULL OR b.collected_by IN ('', 'applicant')
                                          THEN b.collected_by ELSE '' END
                  FROM {source} JOIN offices_office o ON o.code = v.office
                  LEFT JOIN bookings_account a ON a.ref = v.account
                  WHERE b.ref = v.ref RETURNING b.id""", params)  # noqa: S608


def selection(*, office_ids: set[int] | None = None, since: dt.datetime | None = None,
              until: dt.datetime | None = None) -> tuple[str, list]:
    """The SQL condition on ``bookings_booking b`` for bookings made at the offices in the period."""
    conditions, params = ["true"], []
    if office_ids is not None:
        conditions.append("b.office_id = ANY(%s)")
        params.append(list(office_ids))
    if since is not None:
        conditions.append("b.created_at >= %s")
        params.append(since)
    if until is not None:
        conditions.append("b.created_at < %s")
        params.append(until)
    return " AND ".join(conditions), params


def export(*, office_ids: set[int] | None = None, refs_query: tuple[str, list] | None = None,
           since: dt.datetime | None = None, until: dt.datetime | None = None,
           chunk_size: int = 5000) -> Iterator[dict]:
    """Bookings as records in order of creation, their statuses in the format's vocabulary.

    Filters keep bookings made at the offices in the period, and any other booking that an
    exported event names (``refs_query``), so the export refers to nothing it leaves out.
    """
    where, params = selection(office_ids=office_ids, since=since, until=until)
    if refs_query is not None:
        where = f"({where}) OR b.ref IN ({refs_query[0]})"
        params = [*params, *refs_query[1]]
    with connection.chunked_cursor() as cursor:
        cursor.itersize = chunk_size
        cursor.execute(f"""SELECT b.ref, a.ref, o.code, b.service_date, b.slot_time, b.service, b.channel,
                                  b.nik, b.name, b.birth_date, b.phone, b.email, b.created_at, host(b.ip),
                                  b.device, b.status, b.details, b.anonymised_at
                           FROM bookings_booking b JOIN offices_office o ON o.id = b.office_id
                           LEFT JOIN bookings_account a ON a.id = b.account_id
                           WHERE {where} ORDER BY b.created_at, b.id""", params)  # noqa: S608
        for (ref, account, office, service_date, slot, service, channel, nik, name, birth_date, phone,
             email, created_at, ip, device, status, details, anonymised_at) in cursor:
            record = {"kind": KIND, "ref": ref, "account": account, "office": office,
                      "service_date": service_date.isoformat(), "slot": slot.strftime("%H:%M"),
                      "service": service, "channel": channel, "nik": nik, "name": name,
                      "birth_date": birth_date.isoformat(), "phone": phone, "email": email or None,
                      "created_at": created_at.astimezone(dt.UTC).isoformat(), "ip": ip,
                      "device": device or None, "status": RECORDS_STATUS.get(status, status)}
            if anonymised_at is not None:
                # Placeholders where the format wants a value; the mark tells readers why.
                record.update(nik=ANONYMISED_NIK, name=ANONYMISED_NAME,
                              anonymised_at=anonymised_at.astimezone(dt.UTC).isoformat())
            yield account_kind.with_details(record, account_kind.json_object(details))
