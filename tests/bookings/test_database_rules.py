"""Each rule PostgreSQL enforces, attacked with raw SQL that bypasses the services."""

import pytest
from django.db import IntegrityError, connection, transaction

from bookings.models import Account, Booking, Slot
from tests.bookings import builders


def copy_booking(booking: Booking, **overrides) -> None:
    """INSERT a copy of ``booking`` with new ref and code and the given column values."""
    columns = [f.column for f in Booking._meta.concrete_fields if f.column != "id"]
    values = {"ref": f"raw-{booking.ref}", "code": f"R{booking.code[:9]}"} | overrides
    select = ", ".join("%s" if c in values else c for c in columns)
    params = [values[c] for c in columns if c in values]
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO bookings_booking ({', '.join(columns)}) SELECT {select} "
                       "FROM bookings_booking WHERE id = %s", [*params, booking.pk])


def test_slot_cannot_be_booked_past_capacity(network, applicant_user, day):
    slot = Slot.objects.get(pk=builders.booking(applicant_user, network.kanim_a, day).slot_id)
    with pytest.raises(IntegrityError, match="slot_booked_within_capacity"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE bookings_slot SET booked = capacity + 1 WHERE id = %s", [slot.pk])


def test_capacity_cannot_be_lowered_below_booked(network, applicant_user, day):
    slot = Slot.objects.get(pk=builders.booking(applicant_user, network.kanim_a, day).slot_id)
    with pytest.raises(IntegrityError, match="slot_booked_within_capacity"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE bookings_slot SET capacity = 0 WHERE id = %s", [slot.pk])


def test_conditional_update_takes_nothing_from_a_full_slot(network, applicant_user, day):
    slot = Slot.objects.get(pk=builders.booking(applicant_user, network.kanim_a, day).slot_id)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE bookings_slot SET capacity = booked WHERE id = %s", [slot.pk])
        cursor.execute("UPDATE bookings_slot SET booked = booked + 1 WHERE id = %s AND booked < capacity "
                       "AND NOT closed RETURNING booked", [slot.pk])
        assert cursor.fetchone() is None


def test_second_active_booking_for_a_nik_is_refused(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    with pytest.raises(IntegrityError, match="booking_one_active_per_nik"), transaction.atomic():
        copy_booking(booking, account_id=None, channel="WALK_IN")


def test_cancelled_booking_does_not_hold_the_nik(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE bookings_booking SET status = 'CANCELLED' WHERE id = %s", [booking.pk])
    copy_booking(booking, account_id=None, channel="WALK_IN")
    assert Booking.objects.filter(nik=booking.nik).count() == 2


def test_imported_history_may_repeat_a_nik(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    copy_booking(booking, imported=True, slot_id=None)
    assert Booking.objects.filter(nik=booking.nik).count() == 2


def test_account_cannot_hold_more_than_its_cap(network, applicant_user, day, settings):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE bookings_account SET booking_cap = 1 WHERE id = %s", [booking.account_id])
    with pytest.raises(IntegrityError, match="account_active_bookings_within_cap"), transaction.atomic():
        copy_booking(booking, nik=builders.nik_for(999))


def test_trigger_counts_status_changes_made_in_sql(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE bookings_booking SET status = 'NO_SHOW' WHERE id = %s", [booking.pk])
    assert Account.objects.get(pk=booking.account_id).active_bookings == 0


def test_trigger_counts_a_booking_moved_to_another_account(network, applicant_user, other_applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    other = other_applicant_user.applicant_account
    with connection.cursor() as cursor:
        cursor.execute("UPDATE bookings_booking SET account_id = %s WHERE id = %s", [other.pk, booking.pk])
    assert Account.objects.get(pk=booking.account_id).active_bookings == 0
    assert Account.objects.get(pk=other.pk).active_bookings == 1


def test_counter_cannot_go_negative(network, applicant_user):
    with pytest.raises(IntegrityError, match="account_active_bookings_within_cap"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE bookings_account SET active_bookings = -1 WHERE id = %s",
                           [applicant_user.applicant_account.pk])


def test_live_booking_needs_a_slot(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    with pytest.raises(IntegrityError, match="booking_live_takes_a_slot"), transaction.atomic():
        copy_booking(booking, slot_id=None, nik=builders.nik_for(998))


def test_online_booking_needs_an_account(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    with pytest.raises(IntegrityError, match="booking_online_has_account"), transaction.atomic():
        copy_booking(booking, account_id=None, nik=builders.nik_for(997))


def test_unknown_status_is_refused(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    with pytest.raises(IntegrityError, match="booking_status_known"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE bookings_booking SET status = 'LOST' WHERE id = %s", [booking.pk])


def test_account_phone_must_be_normalised(network, applicant_user):
    with pytest.raises(IntegrityError, match="account_phone_normalised"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE bookings_account SET phone = '081234567890' WHERE id = %s",
                           [applicant_user.applicant_account.pk])


def status_change(booking, status):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE bookings_booking SET status = %s WHERE id = %s", [status, booking.pk])


def test_status_cannot_go_back(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    status_change(booking, "INTERVIEWED")
    with pytest.raises(IntegrityError, match="booking_status_path"), transaction.atomic():
        status_change(booking, "CHECKED_IN")


def test_nothing_leaves_a_final_status(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    status_change(booking, "CANCELLED")
    with pytest.raises(IntegrityError, match="booking_status_path"), transaction.atomic():
        status_change(booking, "BOOKED")


def test_only_a_booked_booking_becomes_a_no_show(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    status_change(booking, "CHECKED_IN")
    with pytest.raises(IntegrityError, match="booking_status_path"), transaction.atomic():
        status_change(booking, "NO_SHOW")


def test_rejection_only_while_in_process(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    with pytest.raises(IntegrityError, match="booking_status_path"), transaction.atomic():
        status_change(booking, "REJECTED")


def test_imported_history_keeps_its_status_changes(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE bookings_booking SET imported = true, status = 'ISSUED' WHERE id = %s", [booking.pk])
        cursor.execute("UPDATE bookings_booking SET status = 'BOOKED' WHERE id = %s", [booking.pk])
    booking.refresh_from_db()
    assert booking.status == "BOOKED"
