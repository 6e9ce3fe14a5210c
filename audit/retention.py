"""The batch loop every retention kind shares: bounded transactions, one summary event each.

A kind (bookings, accounts, findings, cases) supplies one function that removes up to a batch
of its rows in set-based SQL and says how many of each sort it took and whether more may be
due. The loop runs it in transactions of its own, each holding the retention advisory lock
and recording ONE ``RETENTION_APPLY`` event with the counts and the cut-off, never a row's
content, so the trail grows by one event per batch, however many rows go. Every statement
selects only rows still due, so a second run, or one stopped half-way and started again,
finds nothing done twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from offices.access import SystemActor

from .actions import Action
from .trail import actor_for_user, event_record

#: Who retention acts as in the trail (``system:retention``).
RETENTION_ACTOR = SystemActor("retention")
#: Advisory lock of retention batches ("retain" as a number, fixed forever): a second run
#: started beside one at work (two beats by mistake) stops at once.
RETENTION_LOCK_KEY = 0x72657461696E
DEFAULT_BATCH = 1000
#: Most batches a run takes of one kind; the next day's run goes on from there.
DEFAULT_MAX_BATCHES = 500


@dataclass
class RetentionResult:
    """What one kind's run removed (or, dry, would remove), and why it may have stopped early."""

    kind: str
    cutoff: dt.date | None
    counts: dict[str, int] = field(default_factory=dict)
    batches: int = 0
    dry_run: bool = False
    #: Why nothing was done ("kept forever", "locked out", …); empty when the kind ran.
    skipped: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def as_dict(self) -> dict:
        return {"kind": self.kind, "cutoff": self.cutoff.isoformat() if self.cutoff else None,
                "counts": dict(self.counts), "batches": self.batches, "dry_run": self.dry_run,
                "skipped": self.skipped}


def retention_cutoff(days: int, today: dt.date | None = None) -> dt.date:
    """The first day still kept when rows are kept ``days`` days (today by the server's clock)."""
    return (today or timezone.now().date()) - dt.timedelta(days=days)


def cutoff_moment(cutoff: dt.date) -> dt.datetime:
    """The first instant of ``cutoff`` (UTC): a row finished before it is past retention."""
    return dt.datetime.combine(cutoff, dt.time(0, 0), tzinfo=dt.UTC)


def _try_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [RETENTION_LOCK_KEY])
        return cursor.fetchone()[0]


def retention_batches(*, result: RetentionResult, step: Callable[[int], tuple[dict[str, int], bool]],
                      batch: int = DEFAULT_BATCH, max_batches: int = DEFAULT_MAX_BATCHES,
                      on_batch: Callable[[int], None] | None = None,
                      before: Callable[[], str] | None = None) -> RetentionResult:
    """Run ``step(batch)`` in transactions for as long as it says more may be due.

    ``step`` runs inside the batch's transaction and returns the counts by sort of the rows it
    took, and whether more may follow (it examined a full batch). ``before``, also inside it,
    may return a reason to stop first (a detection run at work, say). A batch that took nothing
    records nothing; ``batches`` counts the batches that took something.
    """
    for _ in range(max_batches):
        with transaction.atomic():
            if not _try_lock():
                result.skipped = "locked out: another retention run is at work"
                return result
            reason = before() if before else ""
            if reason:
                result.skipped = reason
                return result
            counts, more = step(batch)
            taken = sum(counts.values())
            if taken:
                event_record(actor=actor_for_user(RETENTION_ACTOR), action=Action.RETENTION_APPLY,
                             target_type="retention", target_id=result.kind,
                             details={"kind": result.kind, "cutoff": result.cutoff.isoformat(),
                                      "batch": result.batches + 1, **counts})
        for sort, count in counts.items():
            result.counts[sort] = result.counts.get(sort, 0) + count
        if taken:
            result.batches += 1
            if on_batch:
                on_batch(taken)
        if not more:
            break
    return result
