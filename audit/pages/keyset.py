"""Paging by key over the trail: each page starts after (or before) the last event seen.

``OFFSET`` makes page 10,000 read the 500,000 events before it; a key, the ``(at, id)`` of
the row at the page's edge, lets PostgreSQL start from the index right there, and a time
bound on the key lets it skip whole monthly partitions. The position travels in the URL as
``after=`` or ``before=`` a token ``<microseconds since 1970>.<event id>``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

PAGE_SIZE = 50
#: Matches counted at most: beyond it a search shows "more than …" (no COUNT of millions).
COUNT_LIMIT = 10_000
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
NEWEST_FIRST, OLDEST_FIRST = "-at", "at"
ORDERS = (NEWEST_FIRST, OLDEST_FIRST)


class BadPosition(ValueError):
    """An ``after``/``before`` token or a ``sort`` that the page never wrote."""


def token_of(event) -> str:
    micros = (event.at - EPOCH) // dt.timedelta(microseconds=1)
    return f"{micros}.{event.pk}"


def position_of(token: str) -> tuple[dt.datetime, int]:
    try:
        micros, _dot, pk = token.partition(".")
        return EPOCH + dt.timedelta(microseconds=int(micros)), int(pk)
    except (ValueError, OverflowError):
        raise BadPosition(token) from None


@dataclass
class KeysetPage:
    """One page of events and the tokens of the pages on either side (None at an end)."""

    events: list
    after: str | None
    before: str | None
    order: str

    @property
    def has_other_pages(self) -> bool:
        return bool(self.after or self.before)


def _beyond(queryset: QuerySet, at: dt.datetime, pk: int, *, forward: bool) -> QuerySet:
    """Rows strictly past ``(at, pk)`` in ascending (``forward``) or descending key order.

    The plain bound on ``at`` repeats the row comparison so the index and partition pruning
    can use it.
    """
    if forward:
        return queryset.filter(at__gte=at).filter(Q(at__gt=at) | Q(at=at, pk__gt=pk))
    return queryset.filter(at__lte=at).filter(Q(at__lt=at) | Q(at=at, pk__lt=pk))


def keyset_page(queryset: QuerySet, *, order: str = NEWEST_FIRST, after: str = "", before: str = "",
                size: int = PAGE_SIZE) -> KeysetPage:
    """The page of ``queryset`` in ``order`` that follows ``after``, or precedes ``before``.

    One query of ``size + 1`` rows: the extra row says whether another page lies ahead.
    """
    if order not in ORDERS:
        raise BadPosition(order)
    ascending = order == OLDEST_FIRST
    keys = ("at", "id") if ascending else ("-at", "-id")
    reverse_keys = ("-at", "-id") if ascending else ("at", "id")
    if before:
        # Walk backwards from ``before``, then put the rows back in the page's order.
        at, pk = position_of(before)
        rows = list(_beyond(queryset, at, pk, forward=not ascending).order_by(*reverse_keys)[:size + 1])
        more = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(events=rows, order=order,
                          before=token_of(rows[0]) if more and rows else None,
                          after=token_of(rows[-1]) if rows else None)
    if after:
        at, pk = position_of(after)
        queryset = _beyond(queryset, at, pk, forward=ascending)
    rows = list(queryset.order_by(*keys)[:size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return KeysetPage(events=rows, order=order,
                      before=token_of(rows[0]) if after and rows else None,
                      after=token_of(rows[-1]) if more else None)


def bounded_count(queryset: QuerySet, limit: int | None = None) -> tuple[int, bool]:
    """How many rows match, counting at most ``limit`` (``COUNT_LIMIT``): ``(count, more)``."""
    limit = COUNT_LIMIT if limit is None else limit
    found = queryset.order_by().values("pk")[:limit + 1].count()
    return min(found, limit), found > limit
