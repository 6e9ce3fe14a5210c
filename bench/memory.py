"""Peak memory of processes other than our own: a sampler of private resident memory.

``ru_maxrss`` only covers this process and its waited-for children. The database server's
backends matter too (a detector's sort or hash join runs there), so a thread samples
``/proc/<pid>/smaps_rollup`` of every PostgreSQL process and of this process tree, keeping the
largest private resident size seen per kind. Shared memory (PostgreSQL's shared buffers) is
left out: it is counted once for the whole server, not per process.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

PRIVATE_FIELDS = ("Private_Clean:", "Private_Dirty:")


def _private_kib(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:  # the process ended, or we may not read it
        return 0
    return sum(int(line.split()[1]) for line in text.splitlines() if line.startswith(PRIVATE_FIELDS))


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = {root}, [root]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


class PeakMemory:
    """``with PeakMemory() as peak: …`` then ``peak.mib`` = {"portal": …, "postgres": …}."""

    def __init__(self, interval: float = 0.25):
        self.interval = interval
        self.kib = {"portal": 0, "postgres": 0}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.readable = Path("/proc/self/smaps_rollup").exists()

    def _sample(self) -> None:
        ours = _descendants(os.getpid())
        for pid in ours:
            self.kib["portal"] = max(self.kib["portal"], _private_kib(pid))
        for entry in Path("/proc").iterdir():
            pid = int(entry.name) if entry.name.isdigit() else None
            if pid is not None and pid not in ours and _command(pid) == "postgres":
                self.kib["postgres"] = max(self.kib["postgres"], _private_kib(pid))

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> PeakMemory:
        if self.readable:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.readable:
            self._stop.set()
            self._thread.join()
            self._sample()

    @property
    def mib(self) -> dict[str, float]:
        return {kind: round(kib / 1024, 1) for kind, kib in self.kib.items()}
