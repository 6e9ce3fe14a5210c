"""The ground truth of a scenario, written as one JSON document without holding it in memory.

Long lists (fictitious bookings, ring bookings, family groups…) grow with the scenario, so
each is spooled to a temporary file as JSON items and streamed into the final document.
"""

from __future__ import annotations

import tempfile
from typing import IO

import orjson


class Spool:
    """A list kept on disk: items go in as JSON, come out in the same order."""

    def __init__(self):
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 — closed by ``close``
        self.count = 0

    def append(self, item) -> None:
        self._file.write(orjson.dumps(item))
        self._file.write(b"\n")
        self.count += 1

    def write_array(self, out: IO[bytes]) -> None:
        """Write the items as a JSON array."""
        self._file.seek(0)
        out.write(b"[")
        for number, line in enumerate(self._file):
            if number:
                out.write(b",")
            out.write(b"\n  ")
            out.write(line.rstrip(b"\n"))
        out.write(b"\n]" if self.count else b"]")

    def close(self) -> None:
        self._file.close()


class Truth:
    """Sections of the ground truth: small values kept as they are, long lists spooled."""

    def __init__(self):
        self.document: dict = {}
        self._spools: list[Spool] = []

    def spool(self) -> Spool:
        spool = Spool()
        self._spools.append(spool)
        return spool

    def write(self, out: IO[bytes]) -> None:
        _write_value(out, self.document, 0)
        out.write(b"\n")

    def close(self) -> None:
        for spool in self._spools:
            spool.close()


def _write_value(out: IO[bytes], value, depth: int) -> None:
    if isinstance(value, Spool):
        value.write_array(out)
    elif isinstance(value, dict) and any(isinstance(v, Spool | dict) for v in value.values()):
        indent = b"\n" + b"  " * (depth + 1)
        out.write(b"{")
        for number, (key, item) in enumerate(value.items()):
            out.write(b"," if number else b"")
            out.write(indent)
            out.write(orjson.dumps(key))
            out.write(b": ")
            _write_value(out, item, depth + 1)
        out.write(b"\n" + b"  " * depth + b"}")
    else:
        out.write(orjson.dumps(value))
