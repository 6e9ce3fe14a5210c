"""Verification names each tampered event and the first bad block, whatever the tamperer's rights.

Every tampering here runs as a superuser with ``session_replication_role = replica``, which
switches the append-only and hashing triggers off: the seals are what catch it.
"""

import pytest

from audit.models import Event, SealBlock
from audit.sealing import seal_pending
from audit.verification import Kind, verify_trail
from tests.audit.conftest import offices_with_events, tamper

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sealed():
    """Two sealed blocks of office events; returns the events, oldest first."""
    events = offices_with_events(4)
    seal_pending(block_size=len(Event.objects.all()) // 2 + 1)
    assert SealBlock.objects.count() == 2
    return events


def block_of(event_id: int) -> int:
    return next(b.number for b in SealBlock.objects.all() if event_id in b.leaf_ids)


def test_an_untouched_sealed_trail_verifies(sealed):
    report = verify_trail()
    assert report.ok
    assert report.sealed_events == Event.objects.count()
    assert report.unsealed_events == 0


def test_a_changed_event_is_named_with_its_block(sealed):
    victim = sealed[-1]
    tamper("UPDATE audit_event SET details = '{}' WHERE id = %s", [victim.pk])
    report = verify_trail()
    assert [(p.kind, p.event_id) for p in report.problems] == [(Kind.CHANGED, victim.pk)]
    assert report.first_bad_block == block_of(victim.pk)
    assert report.first_bad_since == SealBlock.objects.get(number=block_of(victim.pk)).first_at


def test_a_changed_event_with_a_recomputed_stored_hash_is_still_caught(sealed):
    victim = sealed[0]
    tamper("""UPDATE audit_event SET action = 'OFFICE_UPDATE',
              content_hash = audit_event_content_hash(id, at, recorded_at, actor_type, actor_id,
                  actor_role, actor_user_id, office_id, 'OFFICE_UPDATE', target_type, target_id,
                  ip, user_agent, request_id, details, source, txid, import_key)
              WHERE id = %s""", [victim.pk])
    report = verify_trail()
    assert [(p.kind, p.event_id) for p in report.problems] == [(Kind.CHANGED, victim.pk)]


def test_a_deleted_event_is_named_with_its_block(sealed):
    victim = sealed[1]
    tamper("DELETE FROM audit_event WHERE id = %s", [victim.pk])
    report = verify_trail()
    assert [(p.kind, p.event_id) for p in report.problems] == [(Kind.DELETED, victim.pk)]
    assert report.first_bad_block == block_of(victim.pk)


def test_an_event_slipped_into_a_sealed_range_is_reported_as_inserted(sealed):
    first = SealBlock.objects.get(number=1)
    tamper("""INSERT INTO audit_event (at, actor_type, action, txid)
              VALUES (%s, 'system', 'STAFF_LOGIN', %s)""", [first.first_at, first.first_txid])
    forged = Event.objects.order_by("-id").first()
    report = verify_trail()
    assert [(p.kind, p.event_id) for p in report.problems] == [(Kind.INSERTED, forged.pk)]
    assert report.first_bad_block == 1


def test_the_earliest_bad_block_is_reported_as_the_start_of_distrust(sealed):
    tamper("DELETE FROM audit_event WHERE id = %s", [sealed[-1].pk])
    tamper("UPDATE audit_event SET actor_id = 'x' WHERE id = %s", [sealed[0].pk])
    report = verify_trail()
    assert {p.kind for p in report.problems} == {Kind.DELETED, Kind.CHANGED}
    assert report.first_bad_block == min(block_of(sealed[0].pk), block_of(sealed[-1].pk))


def test_events_after_the_last_seal_are_counted_as_not_yet_sealed(sealed):
    offices_with_events(2, prefix="LATER")
    report = verify_trail()
    assert report.ok
    assert report.unsealed_events == Event.objects.filter(target_id__startswith="LATER-").count()


def test_an_unsealed_event_written_with_the_trigger_off_is_reported(sealed):
    tamper("INSERT INTO audit_event (at, actor_type, action) VALUES (now(), 'system', 'STAFF_LOGIN')")
    forged = Event.objects.order_by("-id").first()
    report = verify_trail()
    assert [(p.kind, p.event_id) for p in report.problems] == [(Kind.NO_HASH, forged.pk)]


def test_an_unsealed_event_changed_after_writing_is_reported(sealed):
    later = offices_with_events(1, prefix="LATER")[0]
    tamper("UPDATE audit_event SET actor_id = 'x' WHERE id = %s", [later.pk])
    report = verify_trail()
    assert [(p.kind, p.event_id) for p in report.problems] == [(Kind.HASH_MISMATCH, later.pk)]


def test_a_block_rewritten_to_match_a_changed_event_breaks_the_chain(sealed):
    victim = sealed[0]
    number = block_of(victim.pk)
    tamper("UPDATE audit_event SET actor_id = 'x' WHERE id = %s", [victim.pk])
    tamper("""UPDATE audit_sealblock SET leaf_hashes = (
                SELECT array_agg(CASE WHEN l.id = %s THEN audit_event_content_hash(e.id, e.at,
                    e.recorded_at, e.actor_type, e.actor_id, e.actor_role, e.actor_user_id,
                    e.office_id, e.action, e.target_type, e.target_id, e.ip, e.user_agent,
                    e.request_id, e.details, e.source, e.txid, e.import_key) ELSE l.hash END
                    ORDER BY l.ord)
                FROM unnest(leaf_ids, leaf_hashes) WITH ORDINALITY AS l(id, hash, ord)
                LEFT JOIN audit_event e ON e.id = l.id)
              WHERE number = %s""", [victim.pk, number])
    report = verify_trail()
    assert (Kind.ROOT, number) in {(p.kind, p.block) for p in report.problems}
    assert Kind.CHANGED not in {p.kind for p in report.problems}


def test_a_removed_block_and_its_events_break_the_chain_at_the_next_block(sealed):
    first = SealBlock.objects.get(number=1)
    tamper("DELETE FROM audit_event WHERE id = ANY(%s)", [first.leaf_ids])
    tamper("DELETE FROM audit_sealblock WHERE number = 1")
    report = verify_trail()
    assert (Kind.CHAIN, 2) in {(p.kind, p.block) for p in report.problems}
