"""The figures of the network view, on hand-built data: quota use, no-shows, flagged share, status."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.detection.models import Case
from audit.detection.selectors_flagged import flagged_booking_refs
from audit.detection.services.cases import case_move, case_open
from bookings.selectors_backlog import backlog_projection
from bookings.selectors_network import (
    DirectiveStatus,
    network_offices,
    network_totals,
    province_totals,
)
from bookings.services import day_close
from bookings.services.backlog import directive_set
from bookings.services.no_show import no_shows_mark
from offices.choices import OfficeType
from tests import builders as base_builders

from .conftest import plant_finding


def row(user, office, **kwargs):
    flagged = flagged_booking_refs(user=user)
    return network_offices(user, flagged_refs=flagged, **kwargs).get(pk=office.pk)


def shares(figures):
    """The shares of one office's row, as the pages compute them from their parts."""
    return network_totals([figures])


def end_of(office, day: dt.date) -> dt.datetime:
    """A moment after ``day`` has ended at ``office`` (noon the next day, office time)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(12, 0), tzinfo=office.zone)


# --- quota use ----------------------------------------------------------------------------------

def test_quota_use_is_places_booked_over_places_offered_in_the_next_14_days(network, week):
    office = week.counter.office
    figures = row(network.supervisor, office)
    # today's walk-ins (2) and the three online bookings still standing; cancelled gave its place back
    assert figures.booked_ahead == 5
    # every day is a working day here: 14 days of the daily quota, made or not
    assert figures.capacity_ahead == 14 * office.daily_quota
    assert shares(figures).quota_use == pytest.approx(5 / (14 * office.daily_quota))


def test_a_closed_day_offers_no_places(network, week):
    office = week.counter.office
    day_close(actor=week.counter.head, office=office, service_date=week.day + dt.timedelta(days=1),
              reason="Public holiday")
    assert row(network.supervisor, office).capacity_ahead == 13 * office.daily_quota


def test_days_not_served_offer_no_places(network, settings):
    settings.BOOKING_WORKING_DAYS = [1, 2, 3, 4, 5]
    office = base_builders.office("K-QUIET", daily_quota=40)
    figures = row(network.supervisor, office)
    assert (figures.booked_ahead, figures.capacity_ahead) == (0, 10 * 40)
    assert shares(figures).quota_use == 0


# --- no-shows -----------------------------------------------------------------------------------

def test_no_show_rate_is_absences_over_bookings_due_in_the_last_28_days(network, week):
    office = week.counter.office
    later = end_of(office, week.day)
    marked = no_shows_mark(now=later)
    assert marked.marked == 4  # the waiting walk-in and the three online bookings
    figures = row(network.supervisor, office, now=later)
    # due: two walk-ins and three online bookings (the cancelled one is not due)
    assert (figures.no_shows_recent, figures.due_recent) == (4, 5)
    assert shares(figures).no_show_rate == pytest.approx(4 / 5)


def test_no_shows_older_than_28_days_drop_out(network, week):
    office = week.counter.office
    no_shows_mark(now=end_of(office, week.day))
    # the office's today is 28 days after the booked day: it is the window's first day
    figures = row(network.supervisor, office, now=end_of(office, week.day + dt.timedelta(days=27)))
    assert (figures.no_shows_recent, figures.due_recent) == (3, 3)  # today's walk-ins left the window
    figures = row(network.supervisor, office, now=end_of(office, week.day + dt.timedelta(days=28)))
    assert figures.due_recent == 0 and shares(figures).no_show_rate is None


# --- flagged share ------------------------------------------------------------------------------

def test_flagged_share_counts_bookings_named_in_open_fictitious_or_bot_findings(network, week):
    office = week.counter.office
    plant_finding(detector="fictitious_applications", refs=[week.booked[0].ref, week.booked[1].ref])
    plant_finding(detector="bots", refs=[week.booked[1].ref, week.cancelled.ref])
    plant_finding(detector="queue_jumping", refs=[week.served.ref])  # collusion: not a fake booking
    figures = row(network.supervisor, office)
    # made in the last 28 days: 2 walk-ins and 4 online bookings (the cancelled one too)
    assert (figures.flagged_recent, figures.made_recent) == (3, 6)
    assert shares(figures).flagged_share == pytest.approx(3 / 6)


def test_a_finding_whose_case_is_concluded_no_longer_counts(network, week):
    finding = plant_finding(detector="fictitious_applications", refs=[week.booked[0].ref])
    case = case_open(actor=network.auditor, title="Look at these", findings=[finding])
    case_move(actor=network.auditor, case=case, to="INVESTIGATING")
    assert row(network.supervisor, week.counter.office).flagged_recent == 1
    case_move(actor=network.auditor, case=Case.objects.get(pk=case.pk), to="UNFOUNDED",
              note="A family booking for its members")
    assert row(network.supervisor, week.counter.office).flagged_recent == 0


def test_without_findings_access_the_flagged_counts_are_empty(network, week):
    figures = network_offices(network.supervisor).get(pk=week.counter.office.pk)
    assert figures.flagged_recent is None and shares(figures).flagged_share is None


# --- the directive's status, as backlog_projection says --------------------------------------------

def _status_and_projection(user, office, **kwargs):
    figures = row(user, office, **kwargs)
    return figures.directive_status, backlog_projection(figures)


def test_no_directive_no_status(network, week):
    assert row(network.supervisor, week.counter.office).directive_status == ""


@pytest.mark.parametrize(("within_days", "extra", "expected"), [
    (3, True, DirectiveStatus.ON_TRACK),   # 5 waiting at 2 a day: 3 days
    (2, True, DirectiveStatus.AT_RISK),
    (5, False, DirectiveStatus.ON_TRACK),  # every day is a working day here
    (1, False, DirectiveStatus.AT_RISK),
])
def test_status_agrees_with_the_projection(network, counter, settings, within_days, extra, expected):
    settings.BACKLOG_THROUGHPUT_DAYS = 1
    counter.served(201)
    counter.served(202)
    for serial in range(203, 208):
        counter.walk_in(serial)
    directive_set(actor=network.supervisor, offices=[counter.office], within_days=within_days,
                  extra_service_allowed=extra)
    status, projection = _status_and_projection(network.supervisor, counter.office)
    assert status == expected
    assert projection.on_track is (expected == DirectiveStatus.ON_TRACK)


def test_status_on_working_days_only_agrees_with_the_projection(network, counter, settings):
    settings.BACKLOG_THROUGHPUT_DAYS = 1
    counter.served(211)
    for serial in range(212, 218):
        counter.walk_in(serial)  # 6 waiting at 1 a day
    settings.BOOKING_WORKING_DAYS = [1, 2, 3, 4, 5]
    for within_days in range(1, 12):
        directive_set(actor=network.supervisor, offices=[counter.office], within_days=within_days)
        status, projection = _status_and_projection(network.supervisor, counter.office)
        assert (status == DirectiveStatus.ON_TRACK) is projection.on_track, within_days
        assert status in (DirectiveStatus.ON_TRACK, DirectiveStatus.AT_RISK)


def test_no_throughput_is_at_risk(network, counter):
    counter.walk_in(221)
    directive_set(actor=network.supervisor, offices=[counter.office], within_days=30)
    assert row(network.supervisor, counter.office).directive_status == DirectiveStatus.AT_RISK


def test_a_deadline_passed_with_applicants_waiting_is_overdue(network, counter):
    counter.walk_in(231)
    directive_set(actor=network.supervisor, offices=[counter.office], within_days=1)
    later = end_of(counter.office, counter.office.local_date() + dt.timedelta(days=2))
    assert row(network.supervisor, counter.office, now=later).directive_status == DirectiveStatus.OVERDUE


def test_a_deadline_passed_with_nobody_waiting_is_met(network, counter):
    counter.served(241)
    directive_set(actor=network.supervisor, offices=[counter.office], within_days=1)
    later = end_of(counter.office, counter.office.local_date() + dt.timedelta(days=2))
    assert row(network.supervisor, counter.office, now=later).directive_status == DirectiveStatus.MET


# --- sums ---------------------------------------------------------------------------------------

def test_provinces_and_the_network_sum_their_offices(network, week):
    plant_finding(detector="bots", refs=[week.booked[0].ref])
    rows = list(network_offices(network.supervisor, flagged_refs=flagged_booking_refs(user=network.supervisor)))
    provinces = {p.key: p for p in province_totals(rows)}
    assert set(provinces) == {"31", "73"}
    jakarta = provinces["31"]
    assert (jakarta.kanim, jakarta.units) == (2, 1)  # KANIM-A, the counter office; ULP-A1
    assert jakarta.waiting == 1 and jakarta.booked_ahead == 5 and jakarta.flagged_recent == 1
    total = network_totals(rows)
    assert total.offices == 4 and total.capacity_ahead == sum(r.capacity_ahead for r in rows)
    assert total.quota_use == pytest.approx(5 / total.capacity_ahead)
    assert OfficeType.KANIM in {r.type for r in rows}


def test_sorting_by_a_share_in_sql_agrees_with_the_shares_shown(network, week, settings):
    settings.BOOKING_WORKING_DAYS = [1, 2, 3, 4, 5]
    base_builders.office("K-SMALL", daily_quota=1)  # nothing booked: 0 %
    flagged = flagged_booking_refs(user=network.supervisor)
    rows = network_offices(network.supervisor, flagged_refs=flagged)
    from bookings.selectors_network import share_expression

    ordered = list(rows.alias(s=share_expression("quota_use")).order_by("-s", "code"))
    values = [shares(r).quota_use for r in ordered]
    assert values == sorted(values, reverse=True) and values[0] > 0
