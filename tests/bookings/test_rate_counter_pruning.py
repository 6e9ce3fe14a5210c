"""Rate-limit counters are pruned by a scheduled task on a real worker: old windows go, live ones stay."""

import datetime as dt

from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from bookings import tasks
from bookings.models import RateCounter
from bookings.services import rate_limit_take


def test_the_task_deletes_windows_long_closed_and_keeps_live_ones(celery_worker, settings):
    now = timezone.now()
    window = dt.timedelta(seconds=settings.BOOKING_RATE_WINDOW_SECONDS)
    rate_limit_take(account_ref="acc_old", device=None, ip=None, now=now - 3 * window)
    rate_limit_take(account_ref="acc_last", device=None, ip=None, now=now - window)
    rate_limit_take(account_ref="acc_now", device=None, ip=None, now=now)
    assert tasks.prune_rate_counters.delay().get(timeout=60) == 1
    assert set(RateCounter.objects.values_list("key", flat=True)) == {"acc_last", "acc_now"}


def test_the_pruning_is_scheduled_hourly_in_the_database(db):
    entry = PeriodicTask.objects.get(task="bookings.prune_rate_counters")
    assert entry.enabled and (entry.interval.every, entry.interval.period) == (1, "hours")
