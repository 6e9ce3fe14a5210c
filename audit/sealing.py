"""Sealing: the trail's new events go into chained blocks, by one sealer at a time.

Writers never wait for sealing: an event is only appended, and the chain is built later, in
one place. A block covers the events after the previous block's last ``(txid, id)`` whose
writing transaction is below the *horizon*, the oldest transaction of this database still
running (``HORIZON_SQL``): every transaction below it has committed or aborted, so no event
can still join that set.
Leaves are ordered by ``(txid, id)`` and each block holds at most ``AUDIT_SEAL_BLOCK_SIZE``
of them, so one call does bounded work; the next call continues where it stopped.

Each block is written in its own short transaction under a PostgreSQL advisory lock: a
second sealer (two beat processes started by mistake) finds the lock taken and stops, and
the unique ``prev_hash`` would refuse a fork even without it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import merkle
from .hashing import content_hash_sql
from .models import SealBlock

logger = logging.getLogger(__name__)

#: The advisory lock key of the sealer ("audit seal" as a 64-bit number, fixed forever).
SEAL_LOCK_KEY = 0x6175646974_5345


@dataclass
class SealResult:
    """What one sealing run did."""

    blocks: int = 0
    events: int = 0
    locked_out: bool = False


START = (-1, -1)  # the cursor before the first event

# The oldest transaction of *this* database still running, or the next transaction id when
# none is. Transaction ids are cluster-wide, so plain pg_snapshot_xmin would let a long
# transaction in another database hold sealing back. A transaction's exclusive lock on its
# own id is visible in pg_locks to every role; one that ends between the two reads has
# finished, which is all the horizon needs. Prepared transactions (no backend) count too.
HORIZON_SQL = """
WITH snapshot AS (SELECT pg_current_snapshot() AS snap),
ours AS (
    SELECT l.transactionid::text::bigint AS xid32
    FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock'
      AND (a.datname = current_database() OR l.pid IS NULL OR a.pid IS NULL)
)
SELECT coalesce(
    (SELECT min(x::text::bigint) FROM snapshot, pg_snapshot_xip(snap) AS x
     WHERE mod(x::text::bigint, 4294967296) IN (SELECT xid32 FROM ours)),
    (SELECT pg_snapshot_xmax(snap)::text::bigint FROM snapshot))
"""


def chain_head() -> SealBlock | None:
    """The last block of the chain, or None before the first seal."""
    return SealBlock.objects.order_by("-number").defer("leaf_ids", "leaf_hashes").first()


def seal_pending(*, max_blocks: int = 20, block_size: int | None = None) -> SealResult:
    """Seal up to ``max_blocks`` blocks of settled events; returns what was sealed.

    Stops early when nothing is left of what had settled when the call began (later events wait
    for the next call), or when another sealer holds the lock.
    """
    block_size = block_size or settings.AUDIT_SEAL_BLOCK_SIZE
    result = SealResult()
    horizon = None
    for _ in range(max_blocks):
        with transaction.atomic():
            if not _try_lock():
                result.locked_out = True
                break
            block = _seal_one_block(block_size, horizon)
        if block is None:
            break
        # One call seals what had settled when it began: chasing the writers' newest events
        # block after small block would keep a sealer busy for as long as they write.
        horizon = block.horizon
        result.blocks += 1
        result.events += block.event_count
    if result.blocks:
        logger.info("sealed %s audit blocks (%s events)", result.blocks, result.events)
    return result


def _try_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SEAL_LOCK_KEY])
        return cursor.fetchone()[0]


def _seal_one_block(block_size: int, horizon: int | None = None) -> SealBlock | None:
    head = chain_head()
    after = (head.last_txid, head.last_event_id) if head else START
    with connection.cursor() as cursor:
        if horizon is None:
            # Read before this transaction writes anything, so it holds no xid of its own.
            cursor.execute(HORIZON_SQL)
            horizon = cursor.fetchone()[0]
        # The block's events are the next ones in (txid, id) order: a walk of that index from
        # the chain head, whatever the statistics say. Estimated from stale ones (a month's
        # partition analysed while it was small), the planner scanned and sorted the whole
        # partition for each block instead, a cost that grew with the month.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(
            f"""SELECT e.txid, e.id, e.at, {content_hash_sql('e')} FROM audit_event e
                WHERE (e.txid, e.id) > (%s, %s) AND e.txid < %s
                ORDER BY e.txid, e.id LIMIT %s""",  # noqa: S608  (constant SQL)
            [*after, horizon, block_size],
        )
        rows = cursor.fetchall()
    if not rows:
        return None
    ids = [row[1] for row in rows]
    hashes = [bytes(row[3]) for row in rows]
    fields = {
        "number": head.number + 1 if head else 1,
        "prev_hash": bytes(head.block_hash) if head else merkle.GENESIS,
        "merkle_root": merkle.merkle_root(ids, hashes),
        "event_count": len(rows),
        "first_txid": rows[0][0], "first_event_id": rows[0][1],
        "last_txid": rows[-1][0], "last_event_id": rows[-1][1],
        "horizon": horizon,
        "first_at": min(row[2] for row in rows), "last_at": max(row[2] for row in rows),
        "sealed_at": timezone.now(),
    }
    return SealBlock.objects.create(
        **fields, block_hash=merkle.block_hash(**fields), leaf_ids=ids, leaf_hashes=hashes)
