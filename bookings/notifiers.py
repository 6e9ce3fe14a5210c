"""Telling applicants the outcome of a ballot, behind one small interface.

The portal keeps every notice (``BallotNotice``) for the applicant's own page; sending it
by e-mail or SMS is the job of the class named in ``BALLOT_NOTIFIER``. The default sends
nothing, so tests and demos never reach the outside world.
"""

from __future__ import annotations

from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class BallotNotifier(Protocol):
    """Anything that can deliver one notice; raising leaves it unsent, for the next run."""

    def send(self, notice) -> None:
        """Deliver ``notice`` (a ``BallotNotice``) to its entrant's contacts."""


class KeepOnlyNotifier:
    """Keeps the notice for the applicant's page and sends nothing (the default)."""

    def send(self, notice) -> None:
        return None


@cache
def _notifier_class(path: str) -> type:
    return import_string(path)


def ballot_notifier() -> BallotNotifier:
    """The configured notifier (``BALLOT_NOTIFIER``)."""
    return _notifier_class(settings.BALLOT_NOTIFIER)()
