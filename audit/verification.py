"""Verification: recompute every event hash, every block root and the chain, and say what broke.

Nothing here trusts a stored hash. For each block, in order, one query pairs the block's
leaves with the events now in its ``(txid, id)`` range and recomputes each event's hash with
the database's own function; then the block's root, its hash and its link to the previous
block are recomputed in Python. A row rewritten, removed or slipped in by someone who turned
the triggers off (``session_replication_role = replica``) shows up by event id, with the
first block (and so the first time) from which the trail can no longer be trusted.

Events after the last block are *not yet sealed*: that is normal and only counted, except
that a missing or wrong ``content_hash`` there still means the insert trigger was bypassed
or the row was changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection

from . import merkle
from .hashing import EVENT_COLUMNS, content_hash_sql
from .models import PartitionArchive, SealBlock
from .sealing import START


class Kind:
    """Kinds of problem, as reported."""

    CHANGED = "changed"          # a sealed event's content differs from its seal
    DELETED = "deleted"          # a sealed event is gone
    INSERTED = "inserted"        # an event inside a sealed range that no seal covers
    NO_HASH = "no_hash"          # an event written with the insert trigger off
    HASH_MISMATCH = "hash_mismatch"  # stored content_hash differs from the content
    ROOT = "root"                # a block's leaves do not give its Merkle root
    BLOCK_HASH = "block_hash"    # a block's fields do not give its hash
    CHAIN = "chain"              # a block does not point at the previous block's hash


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the trail, located by block and event."""

    kind: str
    block: int | None
    event_id: int | None
    at: dt.datetime | None
    message: str


@dataclass
class Report:
    """What verification found; ``ok`` when nothing."""

    blocks: int = 0
    sealed_events: int = 0
    unsealed_events: int = 0
    problems: list[Problem] = field(default_factory=list)
    first_bad_block: int | None = None
    first_bad_since: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: Problem, *, since: dt.datetime | None) -> None:
        self.problems.append(problem)
        if problem.block is not None and (self.first_bad_block is None
                                          or problem.block < self.first_bad_block):
            self.first_bad_block = problem.block
            self.first_bad_since = since


def event_source_sql() -> str:
    """The live trail plus every archived partition, as one row source."""
    columns = ", ".join(EVENT_COLUMNS)
    # Column names are constants; archive names were checked against PARTITION_NAME when archived.
    parts = [f"SELECT {columns} FROM audit_event"]  # noqa: S608
    for name in PartitionArchive.objects.order_by("month").values_list("name", flat=True):
        parts.append(f'SELECT {columns} FROM audit_archive."{name}"')  # noqa: S608
    return "(" + " UNION ALL ".join(parts) + ")"


BLOCK_SQL = """
WITH leaves AS (
    SELECT l.id, l.hash FROM audit_sealblock b,
        unnest(b.leaf_ids, b.leaf_hashes) AS l(id, hash)
    WHERE b.number = %s
), events AS (
    SELECT e.id, e.at, e.content_hash, {recompute} AS recomputed
    FROM {source} e
    WHERE (e.txid, e.id) > (%s, %s) AND (e.txid, e.id) <= (%s, %s)
)
SELECT coalesce(l.id, ev.id), l.hash, ev.id IS NOT NULL, ev.at, ev.content_hash, ev.recomputed
FROM leaves l FULL JOIN events ev ON ev.id = l.id
WHERE l.id IS NULL OR ev.id IS NULL OR ev.recomputed <> l.hash
   OR ev.content_hash IS DISTINCT FROM ev.recomputed
ORDER BY 1
"""

UNSEALED_SQL = """
SELECT count(*),
       coalesce(array_agg(e.id ORDER BY e.id) FILTER (WHERE e.content_hash IS NULL), '{{}}'),
       coalesce(array_agg(e.id ORDER BY e.id)
                FILTER (WHERE e.content_hash <> {recompute}), '{{}}')
FROM {source} e WHERE (e.txid, e.id) > (%s, %s)
"""


def verify_trail(*, progress: Callable[[int], None] | None = None) -> Report:
    """Check the whole trail; ``progress(n)`` is called after each block with its event count."""
    report = Report()
    source = event_source_sql()
    block_sql = BLOCK_SQL.format(recompute=content_hash_sql("e"), source=source)
    previous_cursor, previous_hash = START, merkle.GENESIS
    blocks = SealBlock.objects.order_by("number").values_list("number", flat=True)
    with connection.cursor() as cursor:
        for number in blocks.iterator(chunk_size=200):
            block = SealBlock.objects.get(number=number)
            _check_block(report, block, previous_hash)
            cursor.execute(block_sql, [number, *previous_cursor,
                                       block.last_txid, block.last_event_id])
            for row in cursor.fetchall():
                _classify(report, block, *row)
            report.blocks += 1
            report.sealed_events += block.event_count
            previous_cursor = (block.last_txid, block.last_event_id)
            previous_hash = bytes(block.block_hash)
            if progress:
                progress(block.event_count)
        cursor.execute(UNSEALED_SQL.format(recompute=content_hash_sql("e"), source=source),
                       list(previous_cursor))
        count, missing, mismatched = cursor.fetchone()
    report.unsealed_events = count
    for event_id in missing:
        report.add(Problem(Kind.NO_HASH, None, event_id, None,
                           f"event {event_id} (not yet sealed) has no content hash: it was "
                           "written with the insert trigger off"), since=None)
    for event_id in mismatched:
        report.add(Problem(Kind.HASH_MISMATCH, None, event_id, None,
                           f"event {event_id} (not yet sealed) no longer matches its content "
                           "hash: it was changed after it was written"), since=None)
    return report


def _check_block(report: Report, block: SealBlock, previous_hash: bytes) -> None:
    since = block.first_at
    if bytes(block.prev_hash) != previous_hash:
        report.add(Problem(Kind.CHAIN, block.number, None, since,
                           f"block {block.number} does not follow the previous block's hash"),
                   since=since)
    root = merkle.merkle_root(block.leaf_ids, [bytes(h) for h in block.leaf_hashes])
    if root != bytes(block.merkle_root):
        report.add(Problem(Kind.ROOT, block.number, None, since,
                           f"block {block.number}: its leaves do not give its Merkle root"),
                   since=since)
    expected = merkle.block_hash(
        number=block.number, prev_hash=bytes(block.prev_hash), merkle_root=bytes(block.merkle_root),
        event_count=block.event_count, first_txid=block.first_txid,
        first_event_id=block.first_event_id, last_txid=block.last_txid,
        last_event_id=block.last_event_id, horizon=block.horizon, first_at=block.first_at,
        last_at=block.last_at, sealed_at=block.sealed_at)
    if expected != bytes(block.block_hash):
        report.add(Problem(Kind.BLOCK_HASH, block.number, None, since,
                           f"block {block.number}: its fields do not give its hash"), since=since)


def _classify(report: Report, block: SealBlock, event_id: int, leaf: bytes | None,
              present: bool, at: dt.datetime | None, stored: bytes | None,
              recomputed: bytes | None) -> None:
    where = f"block {block.number} (events of {merkle.timestamp_text(block.first_at)} to " \
            f"{merkle.timestamp_text(block.last_at)})"
    since = block.first_at
    if leaf is None:
        report.add(Problem(Kind.INSERTED, block.number, event_id, at,
                           f"event {event_id} lies in the range of {where} but no seal covers "
                           "it: it was inserted afterwards"), since=since)
    elif not present:
        report.add(Problem(Kind.DELETED, block.number, event_id, None,
                           f"event {event_id}, sealed in {where}, is missing"), since=since)
    elif bytes(recomputed) != bytes(leaf):
        report.add(Problem(Kind.CHANGED, block.number, event_id, at,
                           f"event {event_id}, sealed in {where}, was changed"), since=since)
    elif stored is None:
        report.add(Problem(Kind.NO_HASH, block.number, event_id, at,
                           f"event {event_id} in {where} has no content hash: it was written "
                           "with the insert trigger off"), since=since)
    else:
        report.add(Problem(Kind.HASH_MISMATCH, block.number, event_id, at,
                           f"event {event_id} in {where}: its stored content hash was altered"),
                   since=since)
