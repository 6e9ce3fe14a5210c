"""Run callables at the same moment in threads, each with its own database connection."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

from django.db import connection


def race(calls: list[Callable[[], object]]) -> Counter:
    """Start every call together; count outcomes: "ok" or the refusal's code."""
    barrier = threading.Barrier(len(calls))
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait()
            call()
            outcome = "ok"
        except Exception as exc:  # the outcome is what the test asserts on
            outcome = getattr(exc, "code", type(exc).__name__)
        finally:
            connection.close()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
