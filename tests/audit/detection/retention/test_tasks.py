"""The retention task on a real worker over the real broker, and its daily beat entry."""

from __future__ import annotations

import importlib

from django.apps import apps
from django_celery_beat.models import PeriodicTask

from audit.detection import tasks
from bookings.models import Booking
from tests.bookings import builders

from .conftest import old_cancelled_booking


def test_the_task_applies_every_kind_on_the_worker(celery_worker, network):
    booking = old_cancelled_booking(network, builders.account_user("task@example.invalid"), serial=1)
    results = tasks.apply_retention.delay().get(timeout=60)
    assert [result["kind"] for result in results] == ["cases", "findings", "bookings", "accounts"]
    assert next(r for r in results if r["kind"] == "bookings")["counts"]["bookings"] == 1
    assert Booking.objects.get(pk=booking.pk).anonymised_at is not None


def test_the_task_runs_daily_from_the_beat_schedule(db):
    # Run the schedule migration again (a transactional test may have emptied the table): idempotent.
    operation = importlib.import_module("audit.detection.migrations.0005_schedule_retention").Migration.operations[0]
    operation.code(apps, None)
    operation.code(apps, None)
    entry = PeriodicTask.objects.get(task="retention.apply")
    assert entry.enabled and entry.interval is None
    assert (entry.crontab.minute, entry.crontab.hour, entry.crontab.day_of_week) == ("0", "21", "*")
    assert str(entry.crontab.timezone) == "UTC"


def test_the_task_acknowledges_late_and_is_redelivered_when_a_worker_dies():
    assert tasks.apply_retention.acks_late and tasks.apply_retention.reject_on_worker_lost
