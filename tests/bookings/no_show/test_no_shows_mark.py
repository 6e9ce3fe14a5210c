import datetime as dt

from django.db import connection, connections

from audit.models import Event
from bookings.models import Booking, Slot
from bookings.services.no_show import NO_SHOW_LOCK_KEY, no_shows_mark
from tests.bookings import builders

SECOND = dt.timedelta(seconds=1)


def statuses(zone_day) -> dict[str, str]:
    return {zone: Booking.objects.get(pk=b.pk).status for zone, b in zone_day.bookings.items()}


def test_nothing_is_marked_before_the_first_office_closes(network, zone_day):
    result = no_shows_mark(now=zone_day.day_ends("WIT") - SECOND)
    assert result.marked == 0 and set(statuses(zone_day).values()) == {"BOOKED"}


def test_wit_closes_first_and_alone(network, zone_day):
    no_shows_mark(now=zone_day.day_ends("WIT"))
    assert statuses(zone_day) == {"WIB": "BOOKED", "WITA": "BOOKED", "WIT": "NO_SHOW"}


def test_wita_closes_an_hour_after_wit(network, zone_day):
    no_shows_mark(now=zone_day.day_ends("WITA"))
    assert statuses(zone_day) == {"WIB": "BOOKED", "WITA": "NO_SHOW", "WIT": "NO_SHOW"}


def test_every_zone_is_closed_once_wib_has_closed(network, zone_day):
    result = no_shows_mark(now=zone_day.day_ends("WIB"))
    assert result.marked == 3 and set(statuses(zone_day).values()) == {"NO_SHOW"}


def test_each_no_show_is_recorded_by_the_system(network, zone_day):
    no_shows_mark(now=zone_day.day_ends("WIB"))
    events = Event.objects.filter(action="MARK_NO_SHOW")
    assert {e.target_id for e in events} == {b.ref for b in zone_day.bookings.values()}
    assert {(e.actor_type, e.actor_id) for e in events} == {("system", "no_show_marker")}


def test_the_place_is_not_given_back(network, zone_day):
    booking = zone_day.bookings["WIB"]
    no_shows_mark(now=zone_day.day_ends("WIB"))
    assert Slot.objects.get(pk=booking.slot_id).booked == 1


def test_the_account_may_book_again(network, zone_day, applicant_user):
    before = builders.account_of(applicant_user).active_bookings
    no_shows_mark(now=zone_day.day_ends("WIB"))
    assert before == 3 and builders.account_of(applicant_user).active_bookings == 0


def test_a_second_run_marks_nothing_more(network, zone_day):
    no_shows_mark(now=zone_day.day_ends("WIB"))
    again = no_shows_mark(now=zone_day.day_ends("WIB") + dt.timedelta(minutes=5))
    assert again.marked == 0 and Event.objects.filter(action="MARK_NO_SHOW").count() == 3


def test_cancelled_bookings_are_left_alone(network, zone_day):
    from bookings.services import booking_cancel_by_staff

    booking_cancel_by_staff(actor=network.officer_a, booking=zone_day.bookings["WIB"], reason="asked")
    no_shows_mark(now=zone_day.day_ends("WIB"))
    assert statuses(zone_day)["WIB"] == "CANCELLED"


def test_large_days_are_marked_in_batches(network, zone_day):
    result = no_shows_mark(now=zone_day.day_ends("WIB"), batch=2)
    assert result.marked == 3 and result.batches == 2


def test_a_run_while_another_holds_the_lock_does_nothing(network, zone_day):
    other = connections.create_connection("default")  # a second job, on its own connection
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [NO_SHOW_LOCK_KEY])
        result = no_shows_mark(now=zone_day.day_ends("WIB"))
    finally:
        other.close()
    assert result.locked_out and result.marked == 0
    assert set(statuses(zone_day).values()) == {"BOOKED"}


def test_checked_in_bookings_are_left_alone(network, zone_day):
    booking = zone_day.bookings["WIB"]
    # Check-in is only possible on the day itself, which the test cannot reach: set it directly.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE bookings_booking SET status = 'CHECKED_IN', checked_in_at = now() "
                       "WHERE id = %s", [booking.pk])
    no_shows_mark(now=zone_day.day_ends("WIB"))
    assert statuses(zone_day)["WIB"] == "CHECKED_IN"
