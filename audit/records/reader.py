"""Streaming reader of records-v1 files: one JSON object per line, any size, ``-`` for standard input.

Lines are read as bytes and parsed one at a time, so memory does not grow with the file;
progress is reported by bytes read.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO, NamedTuple

import orjson
from tqdm import tqdm

from .problems import RecordError

STDIN = "-"
BOM = b"\xef\xbb\xbf"


class Line(NamedTuple):
    """One non-blank line: where it came from and the object it holds (or why it holds none).

    A named tuple: one is made per line, and a tuple costs a fraction of a frozen dataclass."""

    source: str
    number: int
    record: dict | None
    error: RecordError | None = None


def source_name(path: str) -> str:
    return "<stdin>" if path == STDIN else path


@contextmanager
def _open(path: str, stdin: BinaryIO | None):
    if path == STDIN:
        yield stdin or sys.stdin.buffer
    else:
        with open(path, "rb") as handle:
            yield handle


def _size(path: str) -> int | None:
    if path == STDIN:
        return None
    try:
        return os.path.getsize(path)
    except OSError:
        return None


def read_lines(paths: list[str], *, stdin: BinaryIO | None = None, progress: bool | None = None
               ) -> Iterator[Line]:
    """Every non-blank line of every file in order, parsed; a line that is not a JSON object
    comes with its error instead. Missing files raise ``FileNotFoundError`` before any is read."""
    for path in paths:
        if path != STDIN and not os.path.isfile(path):
            raise FileNotFoundError(f"{path}: no such file")
    sizes = [_size(path) for path in paths]
    total = None if any(size is None for size in sizes) else sum(sizes)
    with tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc="records",
              disable=not progress if progress is not None else None, file=sys.stderr,
              mininterval=0.5) as bar:
        for path in paths:
            name = source_name(path)
            with _open(path, stdin) as handle:
                pending = 0
                for number, raw in enumerate(handle, start=1):
                    pending += len(raw)
                    if pending >= 1 << 20:
                        bar.update(pending)
                        pending = 0
                    if number == 1 and raw.startswith(BOM):
                        raw = raw[len(BOM):]
                    if not raw.strip():
                        continue
                    yield _parse(name, number, raw)
                bar.update(pending)


def _parse(source: str, number: int, raw: bytes) -> Line:
    try:
        record = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        message = str(exc).split(":", 1)[0]
        return Line(source, number, None, RecordError("", f"not valid UTF-8 JSON ({message})"))
    if not isinstance(record, dict):
        return Line(source, number, None, RecordError("", "a record must be a JSON object"))
    return Line(source, number, record)
