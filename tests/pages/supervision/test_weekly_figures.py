"""The weekly figures table: its summaries equal the live counts, and the trends read it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from audit.detection.selectors_flagged import flagged_booking_refs
from bookings.models import Booking, WeeklyFigures
from bookings.selectors_network import EASTERNMOST, trend_weeks, weekly_trends
from bookings.services.no_show import no_shows_mark
from bookings.weekly_figures import FRESH_FOR, WEEKS_KEPT, summarised_weeks, weekly_figures_refresh
from offices.models import Office
from tests import builders as network_builders
from tests.bookings import builders

from .conftest import plant_finding


def shift(booking: Booking, **days_ago) -> None:
    """Move a booking's dates into the past, as if it had been made and handled weeks ago."""
    now = timezone.now()
    values = {}
    for name, days in days_ago.items():
        if name == "service_date":
            values[name] = now.date() - dt.timedelta(days=days)
        else:
            values[name] = now - dt.timedelta(days=days)
    Booking.objects.filter(pk=booking.pk).update(**values)


@pytest.fixture
def history(network, week):
    """Bookings spread over twenty weeks at the counter office: waiting, decided, cancelled ahead,
    imported, and finished long before the weeks kept."""
    office = week.counter.office
    ahead = office.local_date() + dt.timedelta(days=5)
    made = [builders.booking(builders.account_user(f"history{n}@example.invalid", ip=f"10.0.1.{n}",
                                                   device=f"dev-h{n}"),
                             office, ahead, dt.time(8 + n % 8, 0), serial=300 + n, ip=f"10.0.1.{n}",
                             device=f"dev-h{n}") for n in range(6)]
    # made five weeks ago, due four, approved three weeks ago: waiting at the end of one week
    shift(made[0], created_at=35, service_date=28, approved_at=21)
    # made six weeks ago, due five, never handled: waiting ever since
    shift(made[1], created_at=42, service_date=36)
    # made two weeks ago, cancelled the next day, due next week: never waiting
    shift(made[2], created_at=14, cancelled_at=13)
    # made and due twenty weeks ago, decided last week: waiting in every kept week but the last
    shift(made[3], created_at=140, service_date=139, rejected_at=8)
    # made and decided long before the kept weeks: no effect on any of them
    shift(made[4], created_at=150, service_date=149, approved_at=148)
    # an imported booking of four weeks ago: made, never waiting
    Booking.objects.filter(pk=made[5].pk).update(imported=True)
    shift(made[5], created_at=30, service_date=29)
    return made


def trends(offices, **kwargs):
    return [(w.monday, w.bookings, w.decided, w.no_shows, w.backlog, w.flagged)
            for w in weekly_trends(offices, **kwargs)]


def sources(offices, **kwargs):
    """Per week: summarised (its time) or counted live (None)."""
    return [w.as_of for w in weekly_trends(offices, **kwargs)]


def test_a_week_begun_in_the_east_but_not_yet_in_the_west_is_summarised_for_every_office(network, week,
                                                                                          history):
    """From Monday 00:00 WIT to Monday 00:00 WIB, the trends' current week has begun only in the
    east; the figures hold it for the western offices too (nothing made yet, waiting as now)."""
    # Next Monday 01:00 WIT (Sunday 23:00 WIB): after everything the fixtures made just now.
    week_begins = dt.datetime.combine(trend_weeks()[-1] + dt.timedelta(weeks=1), dt.time(0), tzinfo=EASTERNMOST)
    now = week_begins + dt.timedelta(hours=1)
    offices = Office.objects.all()
    assert {o.timezone for o in offices} >= {"Asia/Jakarta"}
    live = trends(offices, now=now)

    weekly_figures_refresh(now=now)
    assert sorted(summarised_weeks(offices, [monday for monday, *_ in live])) == [m for m, *_ in live]
    assert sources(offices, now=now) == [now] * len(live)
    assert trends(offices, now=now) == live


@pytest.mark.parametrize("later_days", [0, 3, 17])
def test_summarised_weeks_equal_the_live_counts(network, week, history, later_days):
    office = week.counter.office
    marked_at = dt.datetime.combine(week.day + dt.timedelta(days=1), dt.time(12), tzinfo=office.zone)
    if later_days:
        no_shows_mark(now=marked_at)
    now = timezone.now() + dt.timedelta(days=later_days)
    plant_finding(detector="bots", refs=[history[1].ref, week.booked[0].ref])
    flagged = flagged_booking_refs(user=network.supervisor)
    offices = Office.objects.all()
    live = trends(offices, flagged_refs=flagged, now=now)

    written = weekly_figures_refresh(now=now)
    assert written == Office.objects.count() * (WEEKS_KEPT + 1)
    held = summarised_weeks(offices, [monday for monday, *_ in live])
    assert len(held) == len(live)  # all twelve weeks, whatever the zones' calendars say just now
    assert trends(offices, flagged_refs=flagged, now=now) == live
    assert sources(offices, now=now).count(now) == len(held)
    # per office too, not only summed over the network
    for each in Office.objects.all():
        scoped = Office.objects.filter(pk=each.pk)
        weekly_figures_refresh(now=now)
        summed = trends(scoped, now=now)
        WeeklyFigures.objects.all().delete()
        assert summed == trends(scoped, now=now), each.code
    assert any(backlog for *_, backlog, _flagged in live)


def test_ended_weeks_come_from_the_table_until_the_next_refresh(network, week, history):
    office = week.counter.office
    offices = Office.objects.filter(pk=office.pk)
    weekly_figures_refresh()
    before = trends(offices)
    late = builders.booking(builders.account_user("late@example.invalid", ip="10.0.2.1", device="dev-late"),
                            office, office.local_date() + dt.timedelta(days=6), serial=400, ip="10.0.2.1",
                            device="dev-late")
    shift(late, created_at=22)  # an old booking the refresh has not seen (imported, say)
    assert trends(offices) == before
    weekly_figures_refresh()
    after = trends(offices)
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert len(changed) == 1 and changed[0][1][1] == changed[0][0][1] + 1


def test_the_current_week_is_summarised_while_fresh_then_counted_live(network, week, history):
    office = week.counter.office
    offices = Office.objects.filter(pk=office.pk)
    # A refresh a little under FRESH_FOR ago must fall in the current week: in the week's first
    # minutes, it would have summarised the week before, and this one is counted live.
    week_began = dt.datetime.combine(trend_weeks()[-1], dt.time(0), tzinfo=EASTERNMOST)
    now = max(timezone.now(), week_began + FRESH_FOR + dt.timedelta(minutes=2))
    weekly_figures_refresh(now=now - FRESH_FOR + dt.timedelta(minutes=1))
    assert sources(offices, now=now)[-1] is not None
    weekly_figures_refresh(now=now - FRESH_FOR - dt.timedelta(minutes=1))
    fallen_back = sources(offices, now=now)
    assert fallen_back[-1] is None  # too old: counted live
    assert fallen_back[0] is not None  # ended weeks still come from the table
    # what a booking made just now changes shows in the live count, not in the old summary
    builders.booking(builders.account_user("now@example.invalid", ip="10.0.3.1", device="dev-now"),
                     office, office.local_date() + dt.timedelta(days=2), serial=500, ip="10.0.3.1",
                     device="dev-now")
    WeeklyFigures.objects.all().delete()
    assert trends(offices, now=timezone.now())[-1] == trends(offices, now=timezone.now())[-1]
    weekly_figures_refresh(now=timezone.now() - FRESH_FOR - dt.timedelta(minutes=1))
    live_now = trends(offices, now=timezone.now())[-1]
    WeeklyFigures.objects.all().delete()
    assert live_now == trends(offices, now=timezone.now())[-1]


def test_the_trends_say_as_of_when_they_were_summarised(network, week, as_user):
    weekly_figures_refresh()
    html = as_user(network.supervisor).get("/supervision/").content.decode()
    assert 'id="trends-as-of"' in html and "summarised every ten minutes" in html
    WeeklyFigures.objects.all().delete()
    html = as_user(network.supervisor).get("/supervision/").content.decode()
    assert 'id="trends-as-of"' not in html


def test_a_week_held_for_only_some_offices_is_counted_live(network, week, history):
    weekly_figures_refresh()
    newcomer = network_builders.office("KANIM-NEW", name="Kanim Baru")
    offices = Office.objects.all()
    mondays = [monday for monday, *_ in trends(offices)]
    assert summarised_weeks(offices, mondays) == {}
    assert summarised_weeks(Office.objects.exclude(pk=newcomer.pk), mondays)
    live = trends(offices)
    WeeklyFigures.objects.all().delete()
    assert trends(offices) == live


def test_a_refresh_replaces_the_figures_in_one_transaction(network, week, history):
    weekly_figures_refresh()
    first = set(WeeklyFigures.objects.values_list("office_id", "monday", "made", "waiting_at_end"))
    assert weekly_figures_refresh() == len(first)
    assert set(WeeklyFigures.objects.values_list("office_id", "monday", "made", "waiting_at_end")) == first
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(DISTINCT refreshed_at) FROM bookings_weeklyfigures")
        assert cursor.fetchone()[0] == 1


def test_the_refresh_is_scheduled(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="bookings.refresh_weekly_figures")
    assert task.enabled and task.interval.every == 10 and task.interval.period == "minutes"
