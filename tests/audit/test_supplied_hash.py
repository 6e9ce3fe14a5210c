"""A writer may supply an event's content hash (the importer does); nothing trusts it.

The insert trigger fills only a missing hash. A supplied hash that disagrees with the row's
content is kept as written, reported by verification, and never sealed: sealing recomputes
every leaf from the content.
"""

import orjson
import pytest
from django.db import connection, transaction

from audit.hashing import HASHED_COLUMNS, content_hash, content_hash_sql
from audit.models import SealBlock
from audit.sealing import seal_pending
from audit.verification import Kind, verify_trail
from tests.audit.conftest import offices_with_events

pytestmark = pytest.mark.django_db(transaction=True)

WRONG = bytes(32)


def load_with_hash(content_hash: bytes | None) -> int:
    """COPY one event as a bulk loader does, with the hash it claims; returns the event's id."""
    with connection.cursor() as cursor:
        with cursor.copy("COPY audit_event (at, actor_type, actor_id, action, details, source, content_hash) "
                         "FROM STDIN") as copy:
            copy.write_row(["2026-03-01 01:30:00.5+00", "system", "loader", "STAFF_LOGIN", '{"via": "copy"}',
                            "import", content_hash])
        cursor.execute("SELECT max(id) FROM audit_event")
        return cursor.fetchone()[0]


def stored_and_recomputed(event_id: int) -> tuple[bytes, bytes]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT content_hash, {content_hash_sql('e')} FROM audit_event e WHERE id = %s",
                       [event_id])
        stored, recomputed = cursor.fetchone()
    return bytes(stored), bytes(recomputed)


def test_a_missing_hash_is_filled_by_the_database():
    stored, recomputed = stored_and_recomputed(load_with_hash(None))
    assert stored == recomputed


def test_a_right_supplied_hash_is_kept_and_verifies():
    # As the importer does: draw the id, read the transaction's id and start, hash in Python.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('audit_event', 'id')), txid_current(), now()")
        event_id, txid, now = cursor.fetchone()
        row = {"id": event_id, "at": now, "recorded_at": now, "actor_type": "system", "actor_id": "loader",
               "actor_role": "", "actor_user_id": None, "office_id": None, "action": "STAFF_LOGIN",
               "target_type": "", "target_id": "", "ip": "2001:db8::1", "user_agent": "", "request_id": "",
               "details": {"via": "copy", "n": 1.5}, "source": "import", "txid": txid, "import_key": None}
        with cursor.copy(f"COPY audit_event ({', '.join(HASHED_COLUMNS)}, content_hash) FROM STDIN") as copy:
            copy.write_row([orjson.dumps(row["details"]).decode() if c == "details" else row[c]
                            for c in HASHED_COLUMNS] + [content_hash(row)])
    stored, recomputed = stored_and_recomputed(event_id)
    assert stored == recomputed == content_hash(row)
    assert verify_trail().ok


def test_a_wrong_supplied_hash_is_reported_before_sealing():
    offices_with_events(2)
    event_id = load_with_hash(WRONG)
    stored, recomputed = stored_and_recomputed(event_id)
    assert stored == WRONG != recomputed  # the trigger did not overwrite it
    report = verify_trail()
    assert [(p.kind, p.event_id) for p in report.problems] == [(Kind.HASH_MISMATCH, event_id)]


def test_a_wrong_supplied_hash_is_never_sealed_and_still_reported_after():
    offices_with_events(2)
    event_id = load_with_hash(WRONG)
    seal_pending()
    block = SealBlock.objects.get(leaf_ids__contains=[event_id])
    leaf = bytes(block.leaf_hashes[block.leaf_ids.index(event_id)])
    assert leaf == stored_and_recomputed(event_id)[1] != WRONG
    report = verify_trail()
    assert [(p.kind, p.event_id, p.block) for p in report.problems] == [
        (Kind.HASH_MISMATCH, event_id, block.number)]
