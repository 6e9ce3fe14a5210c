"""Reads planned without PostgreSQL's JIT compiler.

The network figures join each office's bookings and slots laterally with dozens of filtered
aggregates; their estimated cost passes ``jit_above_cost`` as soon as offices hold a few
thousand bookings, and compiling them took 17 of 20 seconds for 150 offices and 600,000
bookings, the query itself under three. Every page and API answer that reads them plans
without JIT, here in one place. Detection's analysis queries too: on ten million events a
region's detectors took 15 s with JIT and 5 s without. ``SET LOCAL`` ends with the
transaction, so pooled connections keep their settings.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import wraps

from django.db import DEFAULT_DB_ALIAS, connections, transaction


@contextmanager
def planned_without_jit(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Run the enclosed queries in a transaction whose planner does not JIT-compile."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


def without_jit(view):
    """Run a view, template rendering included, under ``planned_without_jit``."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with planned_without_jit():
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response
    return wrapped


def streamed_without_jit(chunks: Iterator) -> Iterator:
    """A streamed response's chunks, produced under ``planned_without_jit``."""
    with planned_without_jit():
        yield from chunks
