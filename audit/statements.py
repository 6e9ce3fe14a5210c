"""Daily statements of sealed roots: a few signed lines that can be printed or published.

A statement for a day (UTC) names the blocks sealed that day, the events they cover, and the
chain head at the end of the day. Once published, no one can rewrite the trail up to that
head, even with superuser rights and recomputed hashes, without the published head hash
giving it away. Signed with HMAC-SHA256 under ``AUDIT_SIGNING_KEY`` (``SECRET_KEY`` if empty).

Text form, one ``key: value`` per line, then the signature over every line before it::

    audit-roots-v1
    date: 2026-11-29
    blocks: 12-40
    block_count: 29
    events: 12345
    head_block: 40
    head_hash: 5f0c…
    signature: hmac-sha256:9a1e…
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max, Min, Sum

from .models import SealBlock

HEADER = "audit-roots-v1"
NO_HASH = "0" * 64


@dataclass(frozen=True)
class Statement:
    """The sealed state of the trail for one day."""

    date: dt.date
    first_block: int | None
    last_block: int | None
    block_count: int
    events: int
    head_block: int
    head_hash: str

    def body(self) -> str:
        blocks = f"{self.first_block}-{self.last_block}" if self.block_count else "none"
        return "\n".join([
            HEADER, f"date: {self.date.isoformat()}", f"blocks: {blocks}",
            f"block_count: {self.block_count}", f"events: {self.events}",
            f"head_block: {self.head_block}", f"head_hash: {self.head_hash}",
        ])

    def signature(self) -> str:
        return "hmac-sha256:" + hmac.new(_key(), self.body().encode(), hashlib.sha256).hexdigest()

    def text(self) -> str:
        return f"{self.body()}\nsignature: {self.signature()}\n"


def _key() -> bytes:
    return (settings.AUDIT_SIGNING_KEY or settings.SECRET_KEY).encode()


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    return start, start + dt.timedelta(days=1)


def statement_for(day: dt.date) -> Statement:
    """The statement of ``day`` (UTC) as the database holds it now."""
    start, end = _day_bounds(day)
    that_day = SealBlock.objects.filter(sealed_at__gte=start, sealed_at__lt=end).aggregate(
        first=Min("number"), last=Max("number"), count=Count("number"), events=Sum("event_count"))
    head = (SealBlock.objects.filter(sealed_at__lt=end).order_by("-number")
            .values_list("number", "block_hash").first())
    return Statement(
        date=day, first_block=that_day["first"], last_block=that_day["last"],
        block_count=that_day["count"], events=that_day["events"] or 0,
        head_block=head[0] if head else 0,
        head_hash=bytes(head[1]).hex() if head else NO_HASH,
    )


class StatementError(ValueError):
    """A statement text that cannot be read."""


def statement_check(text: str) -> list[str]:
    """Check a published statement against its signature and the database; returns problems.

    An empty list means the statement is authentic and the database still holds exactly the
    chain it describes. Run ``verify_audit`` too: it proves the chain matches the events.
    """
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines or lines[0] != HEADER:
        raise StatementError(f"not a statement: the first line must be {HEADER!r}")
    fields = {}
    for number, line in enumerate(lines[1:], start=2):
        key, sep, value = line.partition(": ")
        if not sep:
            raise StatementError(f"line {number}: expected 'key: value'")
        fields[key] = value
    try:
        day = dt.date.fromisoformat(fields["date"])
        signature = fields["signature"]
    except KeyError as missing:
        raise StatementError(f"missing line {missing.args[0]!r}") from None
    except ValueError:
        raise StatementError("date: expected YYYY-MM-DD") from None
    body = "\n".join(lines[:-1]) if lines[-1].startswith("signature: ") else None
    problems = []
    expected_signature = "hmac-sha256:" + hmac.new(
        _key(), (body or "").encode(), hashlib.sha256).hexdigest()
    if body is None or not hmac.compare_digest(signature, expected_signature):
        problems.append("the signature does not match: the statement was altered or not issued "
                        "with this key")
    current = statement_for(day)
    if current.body() != body:
        problems.append(f"the database no longer matches the statement of {day}: it now reads "
                        + "; ".join(current.body().splitlines()[2:]))
    return problems
