import datetime as dt
import math

from django.utils import timezone

from bookings.selectors_backlog import backlog_offices, backlog_projection
from bookings.services.backlog import directive_set
from tests.bookings import builders


def row(user, office, **kwargs):
    return backlog_offices(user, **kwargs).get(pk=office.pk)


def test_waiting_counts_booked_and_in_process_up_to_today(network, counter, applicant_user):
    counter.walk_in(1)
    checked_in = counter.walk_in(2)
    from bookings.services import booking_step

    booking_step(actor=counter.officer, booking=checked_in, step="check_in")
    builders.booking(applicant_user, counter.office, counter.office.local_date() + dt.timedelta(days=2),
                     dt.time(9, 0), serial=3)
    assert row(network.supervisor, counter.office).waiting == 2


def test_served_but_not_issued_counts_approved_and_not_waiting(network, counter):
    counter.served(4)
    office = row(network.supervisor, counter.office)
    assert office.served_not_issued == 1 and office.waiting == 0


def test_throughput_is_decisions_per_day_over_the_recent_days(network, counter, settings):
    counter.served(5)
    counter.served(6)
    office = row(network.supervisor, counter.office)
    assert office.decided_recent == 2
    assert backlog_projection(office).throughput == round(2 / settings.BACKLOG_THROUGHPUT_DAYS, 2)


def test_oldest_waiting_is_the_earliest_day_still_waiting(network, counter):
    counter.walk_in(7)
    later = timezone.now() + dt.timedelta(days=3)
    office = row(network.supervisor, counter.office, now=later)
    assert office.oldest_waiting == counter.office.local_date()
    assert (office.local_today - office.oldest_waiting).days == 3


def test_next_free_slot_is_the_first_with_room_after_now(network, counter):
    from bookings.services import slots_materialise

    today = counter.office.local_date()
    slots_materialise(office=counter.office, service_date=today)
    now_local = timezone.now().astimezone(counter.office.zone)
    office = row(network.supervisor, counter.office)
    assert office.next_free_date == today and office.next_free_time > now_local.time()


def test_one_query_for_every_office(network, counter, django_assert_num_queries):
    counter.served(8)
    queryset = backlog_offices(network.supervisor)
    with django_assert_num_queries(1):
        rows = list(queryset)
    assert {o.code for o in rows} == {"KANIM-A", "ULP-A1", "KANIM-B", "KANIM-24H"}


def test_an_office_head_sees_the_office_and_its_units(network):
    assert {o.code for o in backlog_offices(network.head_a)} == {"KANIM-A", "ULP-A1"}


def test_an_officer_sees_the_posted_office(network):
    assert {o.code for o in backlog_offices(network.officer_b)} == {"KANIM-B"}


def test_the_directive_in_force_is_shown(network, counter):
    directive_set(actor=network.supervisor, offices=[counter.office], within_days=14, note="first")
    directive_set(actor=network.supervisor, offices=[counter.office], within_days=7,
                  extra_service_allowed=True, note="tighter")
    office = row(network.supervisor, counter.office)
    assert office.deadline == counter.office.local_date() + dt.timedelta(days=7)
    assert office.extra_service_allowed and office.directive_note == "tighter"


def test_projection_clears_at_the_recent_pace(network, counter, settings):
    settings.BACKLOG_THROUGHPUT_DAYS = 1
    counter.served(9)
    counter.served(10)
    for serial in range(11, 16):
        counter.walk_in(serial)
    directive_set(actor=network.supervisor, offices=[counter.office], within_days=3,
                  extra_service_allowed=True)
    office = row(network.supervisor, counter.office)
    projection = backlog_projection(office)
    days = math.ceil(5 / 2)
    assert projection.clearance_date == office.local_today + dt.timedelta(days=days)
    assert projection.on_track is True


def test_projection_misses_a_deadline_too_close(network, counter, settings):
    settings.BACKLOG_THROUGHPUT_DAYS = 1
    counter.served(17)
    for serial in range(18, 23):
        counter.walk_in(serial)
    directive_set(actor=network.supervisor, offices=[counter.office], within_days=2,
                  extra_service_allowed=True)
    projection = backlog_projection(row(network.supervisor, counter.office))
    assert projection.on_track is False


def test_no_throughput_means_no_clearance_date(network, counter):
    counter.walk_in(23)
    directive_set(actor=network.supervisor, offices=[counter.office], within_days=14)
    projection = backlog_projection(row(network.supervisor, counter.office))
    assert projection.clearance_date is None and projection.on_track is False


def test_without_weekend_service_only_working_days_count(network, counter, settings):
    settings.BACKLOG_THROUGHPUT_DAYS = 1
    counter.served(24)
    for serial in range(25, 35):
        counter.walk_in(serial)
    settings.BOOKING_WORKING_DAYS = [1, 2, 3, 4, 5]  # after today's bookings: today may be a Sunday
    office = row(network.supervisor, counter.office)
    clearance = backlog_projection(office).clearance_date
    working = sum(1 for i in range(1, (clearance - office.local_today).days + 1)
                  if (office.local_today + dt.timedelta(days=i)).isoweekday() <= 5)
    assert working == 10 and clearance.isoweekday() <= 5
