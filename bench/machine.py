"""This machine's speed as one figure, printed beside results so runs on other hosts compare.

The same commit's portal CPU per booking attempt differed twofold between two 2-core hosts of
one kind; a fixed pure-Python loop shows such a difference before any figure is read as a
regression or an improvement.
"""

from __future__ import annotations

import time


def python_reference_ms(repeat: int = 5) -> float:
    """Best of ``repeat`` timings (ms) of summing a million squares in pure Python on one core."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        sum(i * i for i in range(1_000_000))
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)
