"""Scheduled and queued bookings work: thin shells over the services, safe to run twice.

``draw_due_ballots`` (every minute) fans out one ``run_ballot`` per ballot whose window has
closed; ``run_ballot`` takes whatever steps the ballot is due for under its advisory lock,
so a redelivered message never draws twice. ``mark_no_shows`` (every few minutes) marks
the bookings of every office whose day has ended, under its own advisory lock.
``prune_rate_counters`` (hourly) deletes the counters of rate-limit windows long closed.
``refresh_weekly_figures`` (every ten minutes) summarises each office's ended weeks.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from bookings.services.ballot_draw import ballot_run, ballots_due
from bookings.services.no_show import no_shows_mark
from bookings.services.rate_limits import rate_counters_prune
from bookings.weekly_figures import weekly_figures_refresh

RETRY = {"acks_late": True, "autoretry_for": (OperationalError,), "retry_backoff": True,
         "max_retries": 5}


@shared_task(name="bookings.run_ballot", **RETRY)
def run_ballot(ballot_id: int) -> dict:
    """Draw, book and notify one ballot, continuing from wherever it stands."""
    return ballot_run(ballot_id=ballot_id).as_dict()


@shared_task(name="bookings.draw_due_ballots", **RETRY)
def draw_due_ballots() -> list[int]:
    """Queue a run for each ballot whose window has closed and whose run is unfinished."""
    due = ballots_due()
    for ballot_id in due:
        run_ballot.delay(ballot_id)
    return due


@shared_task(name="bookings.mark_no_shows", **RETRY)
def mark_no_shows() -> dict:
    """Mark as NO_SHOW the bookings of every office-day that has ended."""
    result = no_shows_mark()
    return {"marked": result.marked, "batches": result.batches, "locked_out": result.locked_out}


@shared_task(name="bookings.prune_rate_counters", **RETRY)
def prune_rate_counters() -> int:
    """Delete counters of windows that closed over a window ago: the table stays the size of
    the attempts of the last two windows, however long the portal runs."""
    window = dt.timedelta(seconds=settings.BOOKING_RATE_WINDOW_SECONDS)
    return rate_counters_prune(before=timezone.now() - 2 * window)


@shared_task(name="bookings.refresh_weekly_figures", **RETRY)
def refresh_weekly_figures() -> int:
    """Summarise every office's ended weeks for the network's trends (rows written)."""
    return weekly_figures_refresh()
