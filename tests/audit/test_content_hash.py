"""The content hash: computed by the database for every insert path, recomputable from the docs."""

import datetime as dt
import hashlib
import json
from decimal import Decimal

import pytest
from django.db import connection, transaction

from audit.actions import Action
from audit.hashing import HASHED_COLUMNS
from audit.models import Event
from audit.trail import Actor, event_record
from passport_portal.request_meta import RequestMeta
from tests import builders


def canonical_json(value) -> str:
    """The canonical JSON of docs/audit-trail.md, written from the document alone."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(canonical_json(item) for item in value) + "]"
    keys = sorted(value, key=lambda key: (len(key.encode()), key.encode()))
    return "{" + ", ".join(f"{canonical_json(key)}: {canonical_json(value[key])}" for key in keys) + "}"


def utc_text(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def documented_hash(row: dict) -> bytes:
    """Recompute an event's hash as the documentation says, independent of the database."""
    values = [
        "audit-event-v1", row["id"], utc_text(row["at"]), utc_text(row["recorded_at"]),
        row["actor_type"], row["actor_id"], row["actor_role"], row["actor_user_id"],
        row["office_id"], row["action"], row["target_type"], row["target_id"], row["ip"],
        row["user_agent"], row["request_id"], row["details"], row["source"], row["txid"],
        row["import_key"].hex() if row["import_key"] is not None else None,
    ]
    return hashlib.sha256(canonical_json(values).encode()).digest()


def stored_row(event_id: int) -> dict:
    columns = [c if c not in ("details", "ip") else {"details": "details::text",
                                                   "ip": "host(ip)"}[c] for c in HASHED_COLUMNS]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}, content_hash FROM audit_event WHERE id = %s",
                       [event_id])
        values = cursor.fetchone()
    row = dict(zip([*HASHED_COLUMNS, "content_hash"], values, strict=True))
    row["details"] = json.loads(row["details"], parse_float=Decimal)
    if row["import_key"] is not None:
        row["import_key"] = bytes(row["import_key"])
    return row


DETAILS = {
    "changes": {"daily_quota": {"old": 100, "new": 150}},
    "note": "Kantor Imigrasi \"Kelas I\" — Jakarta\n\ttab",
    "ratio": 1.5, "tiny": 0.0000001, "list": [1, "two", None, True, False, {"b": 1, "aa": 2}],
    "zz": "ünïcödé", "a": {},
}


def test_every_event_gets_its_hash_from_the_database(db):
    office = builders.office("KANIM-H")
    event = Event.objects.get(target_id=office.code)
    assert bytes(stored_row(event.pk)["content_hash"]) == documented_hash(stored_row(event.pk))


def test_documented_canonical_form_reproduces_the_database_hash(db):
    with transaction.atomic():
        event = event_record(
            actor=Actor(type="staff", id="198501012010011001", role="OFFICER", office_id=None),
            action=Action.QUOTA_CHANGE, target_type="office", target_id="KANIM-H",
            details=DETAILS, meta=RequestMeta(request_id="r-1", ip="2001:db8::1", user_agent="UA/1"),
            at=dt.datetime(2026, 3, 1, 8, 30, 0, 123456, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        )
    row = stored_row(event.pk)
    assert bytes(row["content_hash"]) == documented_hash(row)


def test_copy_bulk_load_gets_the_same_hash_as_the_application(db):
    with connection.cursor() as cursor:
        with cursor.copy("COPY audit_event (at, actor_type, actor_id, action, details, source) "
                         "FROM STDIN") as copy:
            copy.write_row(["2026-03-01 01:30:00.5+00", "system", "loader", "STAFF_LOGIN",
                            '{"via": "copy"}', "import"])
        cursor.execute("SELECT max(id) FROM audit_event")
        event_id = cursor.fetchone()[0]
    row = stored_row(event_id)
    assert row["content_hash"] is not None
    assert bytes(row["content_hash"]) == documented_hash(row)


@pytest.mark.parametrize("column, value", [
    ("action", "BOOK"), ("actor_id", "someone-else"), ("details", '{"x": 1}'),
    ("at", "2026-03-01 01:30:00.000001+00"), ("ip", "10.0.0.9"),
])
def test_any_change_of_content_changes_the_hash(db, column, value):
    office = builders.office("KANIM-H")
    event_id = Event.objects.get(target_id=office.code).pk
    sql = (f"SELECT audit_event_content_hash({', '.join(HASHED_COLUMNS)}) FROM "
           f"(SELECT {', '.join(c if c != column else '%s::' + {'details': 'jsonb', 'at': 'timestamptz', 'ip': 'inet'}.get(c, 'text') + ' AS ' + c for c in HASHED_COLUMNS)} "
           f"FROM audit_event WHERE id = %s) e")
    with connection.cursor() as cursor:
        cursor.execute(sql, [value, event_id])
        changed = bytes(cursor.fetchone()[0])
    assert changed != bytes(stored_row(event_id)["content_hash"])
