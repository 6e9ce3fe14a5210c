"""The backstop on bookings and capacity: raw SQL changes are recorded; service writes add nothing."""

import datetime as dt

import pytest
from django.db import connection, transaction

from audit.actions import Action
from audit.models import Event
from audit.records import records_import
from bookings.choices import BookingStatus
from bookings.models import Booking, Slot
from bookings.services import (
    booking_cancel,
    booking_reschedule,
    capacity_change,
    day_close,
    day_reopen,
    slots_materialise,
)
from bookings.services.no_show import no_shows_mark
from offices.choices import Role
from tests import builders
from tests.audit.records import samples
from tests.bookings import builders as booking_builders

pytestmark = pytest.mark.django_db(transaction=True)
NIK = "3174011705900042"


@pytest.fixture(autouse=True)
def booking_calendar(settings):
    """Every day a working day, on sale two weeks ahead from midnight, generous limits."""
    settings.BOOKING_WORKING_DAYS = [1, 2, 3, 4, 5, 6, 7]
    settings.BOOKING_RELEASE_TIME = "00:00"
    settings.BOOKING_DAYS_AHEAD = 14
    settings.BOOKING_RATE_PER_ACCOUNT = settings.BOOKING_RATE_PER_DEVICE = 1000
    settings.BOOKING_RATE_PER_IP = 100000


@pytest.fixture
def office():
    return builders.office("KANIM-R", daily_quota=16)


@pytest.fixture
def day(office) -> dt.date:
    return office.local_date() + dt.timedelta(days=3)


@pytest.fixture
def booking(office, day) -> Booking:
    user = booking_builders.account_user("ani@example.invalid")
    return booking_builders.booking(user, office, day, nik=NIK, name="Ani Rahmawati")


def outside_events():
    return Event.objects.filter(action=Action.DATA_CHANGED_OUTSIDE_APP)


def raw(sql: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_booking_changed_with_raw_sql_is_recorded_without_the_applicants_data(booking, office):
    raw("UPDATE bookings_booking SET status = 'CANCELLED', name = 'Someone Else' WHERE id = %s",
        [booking.pk])
    event = outside_events().get()
    assert (event.target_type, event.target_id, event.office_id) == ("bookings_booking", booking.ref, office.pk)
    assert (event.details["before"]["status"], event.details["after"]["status"]) == ("BOOKED", "CANCELLED")
    assert event.details["withheld"]["name"] == {"changed": True}
    assert event.details["withheld"]["nik"] == {"changed": False}
    assert not {"nik", "name", "birth_date", "phone", "email"} & set(event.details["after"])
    assert NIK not in str(event.details) and "Ani" not in str(event.details)


def test_a_booking_deleted_with_raw_sql_is_recorded(booking):
    raw("UPDATE bookings_slot SET booked = booked - 1 WHERE id = %s", [booking.slot_id])
    raw("DELETE FROM bookings_booking WHERE id = %s", [booking.pk])
    deleted = outside_events().get(target_type="bookings_booking")
    assert (deleted.details["operation"], deleted.target_id) == ("DELETE", booking.ref)
    assert deleted.details["after"] is None


def test_capacity_raised_with_raw_sql_is_recorded_per_slot(booking, office, day):
    raw("UPDATE bookings_slot SET capacity = capacity + 100 WHERE office_id = %s AND service_date = %s",
        [office.pk, day])
    slots = Slot.objects.filter(office=office, service_date=day).count()
    events = list(outside_events().filter(target_type="bookings_slot"))
    assert len(events) == slots > 1
    assert {e.office_id for e in events} == {office.pk}
    assert all(e.details["after"]["capacity"] == e.details["before"]["capacity"] + 100 for e in events)


def test_a_day_closed_with_raw_sql_is_recorded(booking, office, day):
    raw("UPDATE bookings_slot SET closed = true, closed_reason = 'x' WHERE office_id = %s "
        "AND service_date = %s", [office.pk, day])
    events = list(outside_events())
    assert events and {(e.details["before"]["closed"], e.details["after"]["closed"]) for e in events} == {
        (False, True)}


def test_a_slot_inserted_with_raw_sql_is_recorded(office, day):
    raw("""INSERT INTO bookings_slot (office_id, service_date, starts_at, ends_at, capacity, booked,
                                      closed, closed_reason, updated_at)
           VALUES (%s, %s, '06:00', '06:30', 500, 0, false, '', now())""", [office.pk, day])
    event = outside_events().get()
    assert (event.target_type, event.details["operation"], event.details["after"]["capacity"]) == (
        "bookings_slot", "INSERT", 500)


def test_touching_only_a_slots_updated_at_is_not_a_change(booking):
    raw("UPDATE bookings_slot SET updated_at = now() WHERE id = %s", [booking.slot_id])
    assert not outside_events().exists()


def test_booking_services_record_no_backstop_event(booking, office, day):
    user = booking.account.user
    booking_reschedule(actor=user, booking=booking, to_date=day + dt.timedelta(days=1), to_time=dt.time(9, 0))
    booking_cancel(actor=user, booking=Booking.objects.get(pk=booking.pk))
    head = builders.staff_user(Role.OFFICE_HEAD, office)
    capacity_change(actor=head, office=office, service_date=day, capacity=40, reason="extra staff")
    day_close(actor=head, office=office, service_date=day + dt.timedelta(days=2), reason="holiday")
    day_reopen(actor=head, office=office, service_date=day + dt.timedelta(days=2), reason="backlog")
    assert not outside_events().exists()


def test_the_no_show_marker_records_no_backstop_event(booking, day):
    result = no_shows_mark(now=dt.datetime.combine(day + dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC))
    assert result.marked == 1
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.NO_SHOW
    assert not outside_events().exists()


def test_slots_made_on_first_use_record_one_event_by_the_system(office, day):
    assert slots_materialise(office=office, service_date=day) is True
    assert slots_materialise(office=office, service_date=day) is False
    made = Event.objects.get(action=Action.DAY_SLOTS_CREATE)
    slots = Slot.objects.filter(office=office, service_date=day)
    assert (made.actor_id, made.target_id, made.office_id) == ("slots_materialise", office.code, office.pk)
    assert made.details == {"date": day.isoformat(), "slots": slots.count(), "capacity": 16, "closed": False}
    assert not outside_events().exists()


def test_imported_bookings_come_in_through_the_application(tmp_path):
    path = samples.write(tmp_path / "records.jsonl", samples.office(), samples.account(),
                         samples.booking(), samples.booking("bk-002", nik="3171014101900002"))
    report = records_import(actor=builders.SYSTEM, paths=[path], progress=False)
    assert report.errors == 0
    assert Booking.objects.filter(imported=True).count() == 2
    assert not outside_events().exists()
    assert Event.objects.get(action=Action.RECORDS_IMPORT_BATCH).details["batch"] == {"office": 1, "booking": 2}
