"""Imported events carry their content hash, computed by the importer: it is the database's own.

The importer draws each row's id from the table's sequence, takes its transaction's id and
start time, and supplies the hash of the very text it COPYs; the insert trigger then leaves
it as it is. Every awkward value COPY's text format or the canonical JSON must escape is here.
"""

import datetime as dt

import pytest
from django.db import connection

from audit.hashing import content_hash_sql
from audit.models import Event
from audit.records import records_import
from audit.verification import verify_trail
from tests import builders

from .samples import account, booking, event, office, staff

AWKWARD = [
    event(user_agent="Mozilla/5.0\t(tab)\nnew line\r\\back\\slash \"quoted\" é 😀", request_id="r\\1\t2"),
    event("CHECK_IN", booking="bk-001", at="2017-11-03T08:01:00.000001+07:00", ip="::ffff:1.2.3.4",
          details={"ratio": 1.5, "tiny": 1e-7, "big": 2**64 - 1, "list": [None, True, {"b": 1, "aa": 2}],
                   "note": "Kantor \"Kelas I\"\n\ttab \x01 \u2028 中", "é": -0.0, "zz": 1e16}),
    event("QUOTA_CHANGE", at="2017-11-03T09:00:00Z", ip="2001:db8:0:0:1:0:0:1",
          target={"type": "office", "id": "KANIM-JKS\\x"}, legacy_key={"kept": "in details"}),
    event("STAFF_LOGOUT", at="2017-11-03T16:00:00+07:00", ip=None, details={}),
]


def imported_hashes() -> list[tuple[int, bytes, bytes]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, content_hash, {content_hash_sql('e')} FROM audit_event e "
                       "WHERE source = 'import' ORDER BY id")
        return [(event_id, bytes(stored), bytes(recomputed)) for event_id, stored, recomputed in cursor]


def test_every_imported_event_carries_the_hash_the_database_computes(db, records_file, run_import):
    report = run_import(records_file(office(), staff(), account(), booking(), *AWKWARD))
    assert report.counts["event"] == {"created": len(AWKWARD)}
    hashes = imported_hashes()
    assert len(hashes) == len(AWKWARD)
    assert [stored for _id, stored, _recomputed in hashes] == [recomputed for *_rest, recomputed in hashes]
    assert verify_trail().ok


def test_escaped_values_arrive_as_they_were_written(db, records_file, run_import):
    run_import(records_file(office(), staff(), account(), booking(), *AWKWARD))
    first, second, third, _fourth = Event.objects.filter(source="import").order_by("at")
    assert (first.user_agent, first.request_id) == (AWKWARD[0]["user_agent"], AWKWARD[0]["request_id"])
    assert second.details["note"] == AWKWARD[1]["details"]["note"]
    assert second.details["big"] == 2**64 - 1
    assert second.ip == "::ffff:1.2.3.4"
    assert second.at == dt.datetime(2017, 11, 3, 1, 1, 0, 1, tzinfo=dt.UTC)
    assert (third.target_type, third.target_id) == ("office", "KANIM-JKS\\x")
    assert third.details["_record"] == {"legacy_key": {"kept": "in details"}}


def test_each_imported_row_is_stamped_with_its_own_transaction(db, records_file, run_import):
    run_import(records_file(office(), staff(), account(), booking(), *AWKWARD))
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT txid = txid_current(), recorded_at = now() FROM audit_event "
                       "WHERE source = 'import'")
        # The test's transaction holds the whole import (savepoints share its id and start time).
        assert cursor.fetchall() == [(True, True)]


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_import_hashes_every_batch_with_that_batch_s_transaction(records_file):
    path = records_file(office(), staff(), account(), booking(), *AWKWARD,
                        *[event(at=f"2017-11-04T08:{minute:02d}:00+07:00") for minute in range(12)])
    records_import(actor=builders.SYSTEM, paths=[path], batch_size=5, progress=False, concurrent=True)
    hashes = imported_hashes()
    assert len(hashes) == len(AWKWARD) + 12
    assert all(stored == recomputed for _id, stored, recomputed in hashes)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(DISTINCT txid) FROM audit_event WHERE source = 'import'")
        assert cursor.fetchone()[0] >= 3  # one transaction per batch of events
    assert verify_trail().ok
