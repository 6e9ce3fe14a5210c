"""The unit of work of an import: parsed records of one batch, their outcomes and what they name.

Each kind's loader receives the batch's records of its kind, resolves every reference in one
query per referenced kind, writes in bulk and returns a ``LoadResult``. The importer applies
a result only once its writes succeeded, so a failed bulk attempt leaves no trace and can be
retried record by record.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Item:
    """One structurally valid record: its kind, identifier, clean values and place in the run.

    ``seq`` orders records across all files of a run; a record may only refer to one with a
    smaller ``seq`` (or to one already in the database, ``seq`` 0).
    """

    kind: str
    key: str
    data: dict[str, Any]
    source: str
    line: int
    seq: int


@dataclass(frozen=True, slots=True)
class Ref:
    """A record that others may refer to: its database id, a few facts, and where it came from."""

    id: int
    seq: int = 0
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class LoadResult:
    """Outcomes per record and the identifiers the batch made known, per referable kind."""

    outcomes: list[tuple[Item, str, str, str]] = field(default_factory=list)
    known: dict[str, dict[str, Ref]] = field(default_factory=dict)
    #: Outcomes counted without keeping each record (the bulk of a batch of events).
    tallied: Counter = field(default_factory=Counter)

    def ok(self, item: Item, outcome: str) -> None:
        self.outcomes.append((item, outcome, "", ""))

    def fail(self, item: Item, key: str, message: str) -> None:
        self.outcomes.append((item, "failed", key, message))

    def tally(self, kind: str, outcome: str, n: int) -> None:
        if n:
            self.tallied[kind, outcome] += n

    def register(self, kind: str, key: str, ref: Ref) -> None:
        self.known.setdefault(kind, {})[key] = ref


class Known:
    """What the run has written so far in this batch, by kind and identifier.

    Loaders look here first and in the database second; entries carry ``seq`` so a reference
    to a record further down the file is refused, as the format requires.
    """

    def __init__(self) -> None:
        self.by_kind: dict[str, dict[str, Ref]] = {}

    def get(self, kind: str, key: str) -> Ref | None:
        return self.by_kind.get(kind, {}).get(key)

    def merge(self, known: dict[str, dict[str, Ref]]) -> None:
        for kind, refs in known.items():
            self.by_kind.setdefault(kind, {}).update(refs)

