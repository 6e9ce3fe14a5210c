"""Sealing: settled events go into chained blocks, in bounded chunks, by one sealer only."""

import itertools
import threading

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction

from audit import merkle, sealing
from audit.models import Event, SealBlock
from audit.sealing import SEAL_LOCK_KEY, seal_pending
from tests.audit.conftest import offices_with_events

pytestmark = pytest.mark.django_db(transaction=True)


def test_settled_events_are_sealed_into_one_block_with_their_hashes():
    events = offices_with_events(3)
    result = seal_pending()
    block = SealBlock.objects.get()
    assert (result.blocks, result.events) == (1, Event.objects.count())
    assert {e.pk for e in events} <= set(block.leaf_ids)
    stored = dict(Event.objects.values_list("id", "content_hash"))
    assert [bytes(h) for h in block.leaf_hashes] == [bytes(stored[i]) for i in block.leaf_ids]
    assert bytes(block.merkle_root) == merkle.merkle_root(block.leaf_ids, block.leaf_hashes)
    assert bytes(block.prev_hash) == merkle.GENESIS


def test_blocks_are_bounded_and_chained_each_to_the_previous():
    offices_with_events(5)
    total = Event.objects.count()
    result = seal_pending(block_size=2)
    blocks = list(SealBlock.objects.order_by("number"))
    assert result.events == total == sum(b.event_count for b in blocks)
    assert max(b.event_count for b in blocks) == 2
    for previous, block in itertools.pairwise(blocks):
        assert bytes(block.prev_hash) == bytes(previous.block_hash)
        assert (block.first_txid, block.first_event_id) > (previous.last_txid, previous.last_event_id)


def test_a_second_run_with_nothing_new_seals_nothing():
    offices_with_events(2)
    seal_pending()
    assert seal_pending().blocks == 0
    assert SealBlock.objects.count() == 1


def test_max_blocks_bounds_one_run_and_the_next_run_continues():
    offices_with_events(4)
    first = seal_pending(block_size=1, max_blocks=2)
    rest = seal_pending(block_size=1)
    assert first.blocks == 2
    assert first.events + rest.events == Event.objects.count()


def test_one_call_seals_what_had_settled_when_it_began_and_leaves_later_events_to_the_next(
        other_connection, monkeypatch):
    """A writer commits an event after each block: the call does not chase it block by block."""
    offices_with_events(2)
    settled = Event.objects.count()
    seal_one_block = sealing._seal_one_block

    def and_a_writer_goes_on(block_size, horizon=None):
        block = seal_one_block(block_size, horizon)
        other_connection.execute("INSERT INTO audit_event (at, actor_type, action) "
                                 "VALUES (clock_timestamp(), 'system', 'STAFF_LOGIN')")
        other_connection.commit()
        return block

    monkeypatch.setattr(sealing, "_seal_one_block", and_a_writer_goes_on)
    first = seal_pending(block_size=1, max_blocks=50)
    monkeypatch.undo()
    assert first.events == first.blocks == settled
    assert len({b.horizon for b in SealBlock.objects.all()}) == 1
    later = seal_pending(block_size=1, max_blocks=50)
    assert later.events == first.blocks + 1  # one event written after each block, and after the last try
    sealed = [i for b in SealBlock.objects.order_by("number") for i in b.leaf_ids]
    assert sorted(sealed) == sorted(Event.objects.values_list("id", flat=True))


def test_an_event_of_a_transaction_still_open_waits_for_the_next_seal(other_connection):
    # The other writer starts first, so its transaction id is lower than everything after it.
    with other_connection.cursor() as cursor:
        cursor.execute("INSERT INTO audit_event (at, actor_type, action) "
                       "VALUES (now(), 'system', 'STAFF_LOGIN') RETURNING id")
        slow_event = cursor.fetchone()[0]
    offices_with_events(2)
    seal_pending()
    assert slow_event not in {i for b in SealBlock.objects.all() for i in b.leaf_ids}
    other_connection.commit()
    seal_pending()
    sealed = [i for b in SealBlock.objects.order_by("number") for i in b.leaf_ids]
    assert sorted(sealed) == sorted(Event.objects.values_list("id", flat=True))


def test_a_second_sealer_finds_the_lock_taken_and_seals_nothing(other_connection):
    offices_with_events(2)
    with other_connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [SEAL_LOCK_KEY])
    result = seal_pending()
    assert result.locked_out and result.blocks == 0
    assert not SealBlock.objects.exists()


def test_database_refuses_a_fork_of_the_chain():
    offices_with_events(1)
    seal_pending()
    block = SealBlock.objects.get()
    with pytest.raises(IntegrityError, match="audit_sealblock_one_successor"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                """INSERT INTO audit_sealblock (number, sealed_at, horizon, first_txid, first_event_id,
                       last_txid, last_event_id, event_count, first_at, last_at, leaf_ids, leaf_hashes,
                       merkle_root, prev_hash, block_hash)
                   SELECT 2, sealed_at, horizon, first_txid, first_event_id, last_txid, last_event_id,
                       event_count, first_at, last_at, leaf_ids, leaf_hashes, merkle_root, prev_hash,
                       sha256(block_hash) FROM audit_sealblock WHERE number = %s""", [block.number])


@pytest.mark.parametrize("statement", [
    "UPDATE audit_sealblock SET event_count = event_count",
    "DELETE FROM audit_sealblock",
    "TRUNCATE audit_sealblock",
])
def test_database_refuses_to_change_sealed_blocks(statement):
    offices_with_events(1)
    seal_pending()
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement)
    assert SealBlock.objects.count() == 1


def test_database_refuses_a_block_whose_leaves_do_not_match_its_count():
    offices_with_events(1)
    seal_pending()
    with pytest.raises(IntegrityError, match="audit_sealblock_leaves_match_count"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                """INSERT INTO audit_sealblock (number, sealed_at, horizon, first_txid, first_event_id,
                       last_txid, last_event_id, event_count, first_at, last_at, leaf_ids, leaf_hashes,
                       merkle_root, prev_hash, block_hash)
                   SELECT 2, sealed_at, horizon, first_txid, first_event_id, last_txid, last_event_id,
                       event_count + 1, first_at, last_at, leaf_ids, leaf_hashes, merkle_root,
                       block_hash, sha256(block_hash) FROM audit_sealblock""")


def test_concurrent_writers_are_sealed_exactly_once_each(other_connection):
    """Writers on their own connections, with transactions of several events each, while
    sealing runs over and over: in the end every event is in exactly one block."""
    conninfo = other_connection.info.dsn

    def write(worker: int) -> None:
        with psycopg.connect(conninfo) as conn:
            for batch in range(15):
                with conn.transaction():
                    for n in range(3):
                        conn.execute("INSERT INTO audit_event (at, actor_type, actor_id, action) "
                                     "VALUES (clock_timestamp(), 'system', %s, 'STAFF_LOGIN')",
                                     [f"w{worker}-{batch}-{n}"])

    writers = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in writers:
        thread.start()
    while any(thread.is_alive() for thread in writers):
        seal_pending(block_size=7)
    for thread in writers:
        thread.join()
    # Each call seals what had settled when it began, at most max_blocks blocks: drain the rest.
    while seal_pending(block_size=7).blocks:
        pass
    sealed = [i for b in SealBlock.objects.order_by("number") for i in b.leaf_ids]
    assert len(sealed) == len(set(sealed))
    assert sorted(sealed) == sorted(Event.objects.values_list("id", flat=True))
    assert Event.objects.filter(actor_id__startswith="w").count() == 4 * 15 * 3


def test_a_long_transaction_in_another_database_does_not_hold_sealing_back():
    settings = connection.settings_dict
    with psycopg.connect(dbname="postgres", user=settings["USER"], host=settings["HOST"] or None,
                         port=settings["PORT"] or None) as elsewhere:
        elsewhere.execute("SELECT txid_current()")  # an older transaction id, still open
        events = offices_with_events(2)
        seal_pending()
        sealed = {i for b in SealBlock.objects.all() for i in b.leaf_ids}
        elsewhere.rollback()
    assert {e.pk for e in events} <= sealed
