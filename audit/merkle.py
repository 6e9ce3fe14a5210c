"""The Merkle tree and block hash of a seal, in plain Python so anyone can recompute them.

Leaf ``i`` is ``SHA-256(0x00 || id as 8-byte big-endian || content_hash)``; an inner node is
``SHA-256(0x01 || left || right)``; a level with an odd count carries its last node up
unchanged. The prefixes keep a leaf from ever passing for an inner node.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

GENESIS = bytes(32)
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(event_id: int, content_hash: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + event_id.to_bytes(8, "big", signed=True) + content_hash).digest()


def merkle_root(ids: Sequence[int], hashes: Sequence[bytes]) -> bytes:
    """The root over the leaves in the given order."""
    level = [leaf_hash(i, bytes(h)) for i, h in zip(ids, hashes, strict=True)]
    if not level:
        return EMPTY_ROOT
    sha256 = hashlib.sha256
    while len(level) > 1:
        paired = [sha256(b"\x01" + level[k] + level[k + 1]).digest()
                  for k in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def timestamp_text(value: dt.datetime) -> str:
    """A timestamp as hashed: UTC, microseconds, ``2026-11-29T03:04:05.000006Z``."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def block_hash(*, number: int, prev_hash: bytes, merkle_root: bytes, event_count: int,
               first_txid: int, first_event_id: int, last_txid: int, last_event_id: int,
               horizon: int, first_at: dt.datetime, last_at: dt.datetime,
               sealed_at: dt.datetime) -> bytes:
    """The hash of a block: every field of it, one per line, in a fixed order."""
    text = "\n".join([
        "audit-block-v1", str(number), bytes(prev_hash).hex(), bytes(merkle_root).hex(),
        str(event_count), str(first_txid), str(first_event_id), str(last_txid),
        str(last_event_id), str(horizon), timestamp_text(first_at), timestamp_text(last_at),
        timestamp_text(sealed_at),
    ])
    return hashlib.sha256(text.encode()).digest()
