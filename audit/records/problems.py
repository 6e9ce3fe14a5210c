"""What an import found wrong, and the tally of what it did.

A ``RecordError`` is raised while reading one record and names the key at fault; the importer
turns it into a ``Problem`` that also names the file and line. Problems are spooled to a
temporary file, so a file with millions of bad lines still reports every one of them with
flat memory.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import orjson

OUTCOMES = ("created", "unchanged", "updated", "failed")


class RecordError(ValueError):
    """One record is structurally wrong at ``key`` (a dotted path, empty for the whole line)."""

    def __init__(self, key: str, message: str):
        super().__init__(f"{key or '(line)'}: {message}")
        self.key = key
        self.message = message


@dataclass(frozen=True, slots=True)
class Problem:
    """An error (the record was not written) or a warning (it was, without something)."""

    source: str
    line: int
    kind: str
    key: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        kind = f" {self.kind}" if self.kind else ""
        return f"{self.source}:{self.line}:{kind} [{self.key or '(line)'}] {self.message}"


def _spool() -> tempfile.SpooledTemporaryFile:
    """Memory up to 4 MiB, then a temporary file; it lives as long as the report."""
    return tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)


@dataclass
class ImportReport:
    """Counts per kind and outcome, plus every problem, for one import run."""

    sources: list[str] = field(default_factory=list)
    counts: dict[str, Counter] = field(default_factory=dict)
    errors: int = 0
    warnings: int = 0
    _spool: tempfile.SpooledTemporaryFile = field(default_factory=lambda: _spool())

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        if n:
            self.counts.setdefault(kind, Counter())[outcome] += n

    def add(self, problem: Problem) -> None:
        if problem.severity == "error":
            self.errors += 1
        else:
            self.warnings += 1
        self._spool.write(orjson.dumps([problem.source, problem.line, problem.kind,
                                        problem.key, problem.message, problem.severity]) + b"\n")

    def problems(self) -> Iterator[Problem]:
        """Every problem in the order found."""
        self._spool.flush()
        self._spool.seek(0)
        for line in self._spool:
            yield Problem(*orjson.loads(line))
        self._spool.seek(0, 2)

    @property
    def failed(self) -> int:
        return sum(counts["failed"] for counts in self.counts.values())

    def summary(self) -> dict:
        """Counts per kind as plain data, for the audit event of the run."""
        return {kind: {o: counts[o] for o in OUTCOMES if counts[o]}
                for kind, counts in sorted(self.counts.items())}
