"""Notifiers for tests: they record what they were given and never reach the outside world."""

from __future__ import annotations

SENT: list[int] = []
FAIL_FOR: set[int] = set()


class RecordingNotifier:
    """Records each notice's entry id; refuses (raises) entries listed in ``FAIL_FOR``."""

    def send(self, notice) -> None:
        if notice.entry_id in FAIL_FOR:
            raise ConnectionError("SMS gateway unreachable")
        SENT.append(notice.entry_id)
