"""Partitions: made ahead idempotently; archived after retention only when sealed and verified."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from audit.actions import Action
from audit.models import Event, PartitionArchive
from audit.partitions import live_partitions, partitions_ensure, partitions_retire
from audit.sealing import seal_pending
from audit.trail import Actor, event_record
from audit.verification import verify_trail
from tests.audit.conftest import tamper

# A month no other test uses, and a "today" whose retention cutoff takes only that month:
# partitions made by other tests (imports of old history) are never touched here.
OLD_MONTH = dt.date(2003, 1, 1)
OLD_NAME = "audit_event_y2003m01"
TODAY = dt.date(2003, 3, 10)


def test_partitions_are_made_ahead_and_a_second_run_makes_none(db):
    today = dt.date(2031, 5, 20)
    assert partitions_ensure(ahead=2, today=today) == 3
    assert partitions_ensure(ahead=2, today=today) == 0
    months = {month for _, month in live_partitions()}
    assert {dt.date(2031, 5, 1), dt.date(2031, 6, 1), dt.date(2031, 7, 1)} <= months


def test_retention_zero_keeps_everything(db):
    assert partitions_retire(months=0) == []


@pytest.fixture
def old_month_events(transactional_db):
    """Committed events in January 2003, in their own partition; the archive is dropped after."""
    partitions_ensure(ahead=0, today=OLD_MONTH)
    with transaction.atomic():
        for day in (3, 17):
            event_record(actor=Actor.system("t"), action=Action.STAFF_LOGIN,
                         at=dt.datetime(2003, 1, day, 8, tzinfo=dt.UTC))
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS audit_archive.{OLD_NAME}")
        cursor.execute(f"DROP TABLE IF EXISTS {OLD_NAME}")


def test_an_unsealed_month_is_kept(old_month_events):
    assert partitions_retire(months=1, today=TODAY) == []
    assert OLD_NAME in {name for name, _ in live_partitions()}


def test_a_sealed_verified_month_is_archived_and_still_verifies(old_month_events):
    seal_pending()
    assert partitions_retire(months=1, today=TODAY) == [OLD_NAME]
    assert OLD_NAME not in {name for name, _ in live_partitions()}
    assert not Event.objects.filter(at__year=2003).exists()
    assert PartitionArchive.objects.get().event_count == 2
    assert Event.objects.filter(action=Action.AUDIT_PARTITION_ARCHIVE, target_id=OLD_NAME).exists()
    assert verify_trail().ok


def test_archived_events_stay_append_only(old_month_events):
    seal_pending()
    partitions_retire(months=1, today=TODAY)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM audit_archive.{OLD_NAME}")


def test_a_trail_that_does_not_verify_archives_nothing(old_month_events):
    seal_pending()
    tamper(f"UPDATE {OLD_NAME} SET actor_id = 'x'")
    assert partitions_retire(months=1, today=TODAY) == []
    assert not PartitionArchive.objects.exists()
