"""CSV of an event search, produced row by row: no result is ever held whole in memory."""

from __future__ import annotations

import csv
from collections.abc import Iterator

import orjson
from django.db.models import QuerySet

from passport_portal.pages import FORMULA_START

from .masking import masked
from .merkle import timestamp_text

HEADER = ["id", "at", "office", "actor_type", "actor_id", "actor_name", "actor_role", "action",
          "target_type", "target_id", "ip", "request_id", "source", "details", "content_hash"]


def _cell(value) -> str | int:
    """A cell as written: text a spreadsheet would run as a formula gets a leading apostrophe
    (user agents, request ids and details come from outside)."""
    if value is None:
        return ""
    if isinstance(value, int):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


class _Line:
    """A file-like object whose ``write`` hands back the line, for ``csv.writer``."""

    def write(self, value: str) -> str:
        return value


def event_csv_lines(events: QuerySet, *, chunk_size: int = 2000) -> Iterator[str]:
    """The header, then one CSV line per event of ``events`` (from ``event_list``), streamed
    from a server-side cursor ``chunk_size`` rows at a time."""
    writer = csv.writer(_Line())
    yield writer.writerow(HEADER)
    for event in events.iterator(chunk_size=chunk_size):
        yield writer.writerow([_cell(value) for value in (
            event.pk, timestamp_text(event.at), event.office.code if event.office else "",
            event.actor_type, event.actor_id, event.actor_name, event.actor_role, event.action,
            event.target_type, masked(event.target_id), event.ip or "", event.request_id,
            event.source, orjson.dumps(masked(event.details)).decode(),
            bytes(event.content_hash).hex() if event.content_hash is not None else "",
        )])
