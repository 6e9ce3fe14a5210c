"""Ballot tasks on a real worker over the real broker: drawn once however often delivered."""

import datetime as dt
import time

import pytest
from django.db import connection
from django_celery_beat.models import PeriodicTask

from audit.models import Event
from bookings import tasks
from bookings.models import Ballot, Booking
from bookings.services.ballot_draw import LOCK_NAMESPACE
from tests.bookings.ballot import builders


@pytest.fixture
def closed(network, ballot_day):
    ballot = builders.ballot(network.head_a, network.kanim_a, ballot_day, places=3)
    builders.entrants(ballot, 8, per_account=4)
    return builders.close_window(ballot)


def test_the_task_draws_books_and_notifies(celery_worker, closed):
    outcome = tasks.run_ballot.delay(closed.pk).get(timeout=60)
    assert outcome["drawn"] and outcome["booked"] == 3 and outcome["lost"] == 5
    assert outcome["notices_sent"] == 8 and outcome["status"] == "DONE"


def test_a_redelivered_task_does_not_draw_twice(celery_worker, closed):
    # Either may run first: the broker without a server (a folder of messages) keeps no order
    # between two sent in the same instant.
    first = tasks.run_ballot.delay(closed.pk)
    second = tasks.run_ballot.delay(closed.pk)
    drawn = [first.get(timeout=60)["drawn"], second.get(timeout=60)["drawn"]]
    assert sorted(drawn) == [False, True]
    assert Event.objects.filter(action="BALLOT_DRAW", target_id=closed.ref).count() == 1
    assert Booking.objects.filter(details__ballot=closed.ref).count() == 3


def test_a_run_finds_the_lock_taken_and_leaves_the_ballot(celery_worker, closed):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, closed.pk])
    try:
        outcome = tasks.run_ballot.delay(closed.pk).get(timeout=60)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, closed.pk])
    assert outcome["locked_out"] and Ballot.objects.get(pk=closed.pk).status == "OPEN"


def test_the_beat_task_queues_a_run_per_closed_ballot(celery_worker, closed, network, ballot_day):
    still_open = builders.ballot(network.head_a, network.kanim_a, ballot_day + dt.timedelta(days=1))
    assert tasks.draw_due_ballots.delay().get(timeout=60) == [closed.pk]
    deadline = time.monotonic() + 60
    while Ballot.objects.get(pk=closed.pk).status != "DONE" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert Ballot.objects.get(pk=closed.pk).status == "DONE"
    assert Ballot.objects.get(pk=still_open.pk).status == "OPEN"


def test_ballot_tasks_acknowledge_late_and_retry_on_database_outages():
    for task in (tasks.run_ballot, tasks.draw_due_ballots, tasks.mark_no_shows):
        assert task.acks_late and task.autoretry_for


def test_the_draw_is_scheduled_in_the_database(db):
    entry = PeriodicTask.objects.get(task="bookings.draw_due_ballots")
    assert entry.enabled and (entry.interval.every, entry.interval.period) == (1, "minutes")
