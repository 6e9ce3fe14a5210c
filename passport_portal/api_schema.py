"""Corrections drf-spectacular's OpenAPI output needs to describe what the API really sends."""

from __future__ import annotations

# A time of day on an office's own clock, as DRF writes it: "08:00:00" (no UTC offset; the
# office's zone is a field of the office). JSON Schema's "time" format demands an offset, so
# the schema names RFC 3339's "partial-time" and states the pattern instead.
PARTIAL_TIME = {"format": "partial-time", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$"}


def _walk(node) -> None:
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "time":
            node.update(PARTIAL_TIME)
        for value in node.values():
            _walk(value)
    elif isinstance(node, list):
        for value in node:
            _walk(value)


def office_clock_times(result, generator, request, public):
    """drf-spectacular postprocessing hook: times of day are office-local, without an offset."""
    _walk(result)
    return result
