"""Scheduled audit work: thin shells over the services, safe to run twice.

Each task does bounded work (well under Redis's visibility timeout) and is idempotent:
sealing continues from the chain's head under an advisory lock, partition creation skips
months that exist, retention skips months already archived.
"""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from . import partitions, sealing

RETRY = {"acks_late": True, "autoretry_for": (OperationalError,), "retry_backoff": True,
         "max_retries": 5}


@shared_task(name="audit.seal_trail", **RETRY)
def seal_trail(max_blocks: int = 20) -> dict:
    """Seal what has settled since the last run (at most ``max_blocks`` blocks)."""
    result = sealing.seal_pending(max_blocks=max_blocks)
    return {"blocks": result.blocks, "events": result.events, "locked_out": result.locked_out}


@shared_task(name="audit.ensure_partitions", **RETRY)
def ensure_partitions() -> int:
    """Create the coming months' partitions; returns how many were new."""
    return partitions.partitions_ensure()


@shared_task(name="audit.retire_partitions", **RETRY)
def retire_partitions() -> list[str]:
    """Archive months past the retention period once sealed and verified."""
    return partitions.partitions_retire()
