import contextlib
import datetime as dt

import pytest

from audit.models import Event
from bookings.errors import LimitReached
from bookings.models import RateCounter
from bookings.services import rate_counters_prune, rate_limit_take
from tests.bookings import builders

NOON = dt.datetime(2026, 12, 1, 12, 10, tzinfo=dt.UTC)


def test_attempts_past_the_account_limit_are_refused_with_retry_after(db, settings):
    settings.BOOKING_RATE_PER_ACCOUNT = 3
    for _ in range(3):
        rate_limit_take(account_ref="acc_1", device=None, ip=None, now=NOON)
    with pytest.raises(LimitReached) as exc:
        rate_limit_take(account_ref="acc_1", device=None, ip=None, now=NOON)
    assert exc.value.retry_after == 50 * 60 and exc.value.extra["scopes"] == ["account"]


def test_counter_stops_at_the_limit(db, settings):
    settings.BOOKING_RATE_PER_DEVICE = 2
    for _ in range(5):
        with contextlib.suppress(LimitReached):
            rate_limit_take(account_ref=None, device="dev-x", ip=None, now=NOON)
    assert RateCounter.objects.get(scope="device", key="dev-x").count == 2


def test_shared_ip_limits_every_account_behind_it(db, settings):
    settings.BOOKING_RATE_PER_IP = 2
    rate_limit_take(account_ref="a", device="d1", ip="10.9.9.9", now=NOON)
    rate_limit_take(account_ref="b", device="d2", ip="10.9.9.9", now=NOON)
    with pytest.raises(LimitReached) as exc:
        rate_limit_take(account_ref="c", device="d3", ip="10.9.9.9", now=NOON)
    assert exc.value.extra["scopes"] == ["ip"]


def test_a_new_window_starts_afresh(db, settings):
    settings.BOOKING_RATE_PER_ACCOUNT = 1
    rate_limit_take(account_ref="acc_2", device=None, ip=None, now=NOON)
    rate_limit_take(account_ref="acc_2", device=None, ip=None, now=NOON + dt.timedelta(hours=1))
    assert RateCounter.objects.filter(key="acc_2").count() == 2


def test_old_windows_are_pruned(db):
    rate_limit_take(account_ref="acc_3", device=None, ip=None, now=NOON)
    assert rate_counters_prune(before=NOON + dt.timedelta(hours=2)) == 1


def test_rate_limited_booking_is_refused_and_recorded(network, applicant_user, day, settings):
    settings.BOOKING_RATE_PER_ACCOUNT = 1
    builders.booking(applicant_user, network.kanim_a, day)
    with pytest.raises(LimitReached):
        builders.booking(applicant_user, network.kanim_a, day)
    event = Event.objects.get(action="BOOK_REFUSED")
    assert event.details["reason"] == "rate_limited" and event.details["scopes"] == ["account"]
