"""Weekly trends on hand-built data: bookings, decisions, no-shows, backlog at week end, flagged share."""

from __future__ import annotations

import datetime as dt

from audit.detection.selectors_flagged import flagged_booking_refs
from bookings.selectors_backlog import backlog_offices
from bookings.selectors_network import TREND_WEEKS, weekly_trends
from bookings.services.no_show import no_shows_mark
from bookings.weekly_figures import weekly_figures_refresh
from offices.models import Office

from .conftest import plant_finding


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def trends(user, office, **kwargs):
    weeks = weekly_trends(Office.objects.filter(pk=office.pk), flagged_refs=flagged_booking_refs(user=user),
                          **kwargs)
    return {w.monday: w for w in weeks}


def test_this_week_counts_what_was_done_today(network, week):
    office = week.counter.office
    plant_finding(detector="bots", refs=[week.booked[0].ref])
    weeks = trends(network.supervisor, office)
    assert len(weeks) == TREND_WEEKS
    this = weeks[monday(office.local_date())]
    assert (this.bookings, this.decided, this.no_shows, this.flagged) == (6, 1, 0, 1)
    assert this.flagged_share == 1 / 6
    assert all(w.bookings == 0 for m, w in weeks.items() if m != this.monday)


def test_backlog_at_the_end_of_this_week_is_the_current_backlog(network, week):
    office = week.counter.office
    current = backlog_offices(network.supervisor).get(pk=office.pk).waiting
    assert current == 1  # the waiting walk-in; the online bookings are not due yet
    assert trends(network.supervisor, office)[monday(office.local_date())].backlog == current


def test_past_weeks_keep_their_backlog_and_no_shows(network, week):
    office = week.counter.office
    marked_at = dt.datetime.combine(week.day + dt.timedelta(days=1), dt.time(12), tzinfo=office.zone)
    no_shows_mark(now=marked_at)
    later = marked_at + dt.timedelta(days=15)
    weeks = trends(network.supervisor, office, now=later)
    today, marked_on = office.local_date(), marked_at.date()
    for first, figures in weeks.items():
        end = min(first + dt.timedelta(days=6), later.astimezone(office.zone).date())
        # the waiting walk-in (today) waits until it is marked absent; the three online bookings
        # wait from their day until they are marked absent
        expected = ((today <= end < marked_on) * 1) + ((week.day <= end < marked_on) * 3)
        assert figures.backlog == expected, first
    assert weeks[monday(week.day)].no_shows == 3 + (monday(today) == monday(week.day))
    assert sum(w.no_shows for w in weeks.values()) == 4
    assert sum(w.decided for w in weeks.values()) == 1


def test_without_findings_access_there_is_no_flagged_series(network, week):
    weeks = weekly_trends(Office.objects.filter(pk=week.counter.office.pk))
    assert all(w.flagged is None and w.flagged_share is None for w in weeks)


def test_trends_cost_six_queries_whatever_the_offices(network, week, django_assert_num_queries):
    offices = Office.objects.all()
    flagged = flagged_booking_refs(user=network.supervisor)
    with django_assert_num_queries(6):
        weekly_trends(offices, flagged_refs=flagged)
    weekly_figures_refresh()
    with django_assert_num_queries(2):  # all twelve weeks summarised: their figures, and the flagged
        weekly_trends(offices, flagged_refs=flagged)
