"""Fixtures for records import and export: a file writer and an import runner on the real service."""

from __future__ import annotations

import itertools

import pytest

from audit.records import records_import
from tests import builders

from . import samples


@pytest.fixture
def records_file(tmp_path):
    """``records_file(*records, lines=())`` writes a new JSON Lines file and returns its path."""
    counter = itertools.count(1)

    def write(*records, lines: tuple[str, ...] = ()) -> str:
        return samples.write(tmp_path / f"records-{next(counter)}.jsonl", *records, lines=lines)

    return write


@pytest.fixture
def run_import():
    """Import files through the service as the portal's system actor; returns the report."""

    def run(*paths: str, update: bool = False, batch_size: int = 1000):
        return records_import(actor=builders.SYSTEM, paths=list(paths), update=update,
                              batch_size=batch_size, progress=False)

    return run


def problems(report) -> list[tuple[int, str, str]]:
    """(line, key, severity) of every problem, for compact assertions."""
    return [(p.line, p.key, p.severity) for p in report.problems()]
