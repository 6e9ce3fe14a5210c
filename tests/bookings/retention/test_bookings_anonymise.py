"""Finished bookings past BOOKING_RETENTION_DAYS are anonymised; nothing else is touched."""

from __future__ import annotations

import datetime as dt

from audit.actions import Action
from audit.models import Event
from bookings.choices import BookingStatus
from bookings.models import Booking
from bookings.retention import Hold, bookings_anonymise
from bookings.services.no_show import no_shows_mark
from tests.bookings import builders

from .aging import DAYS, age, cancelled, cutoff

PERSONAL = ("nik", "name", "phone", "email", "device", "ip", "details", "account_id")


def run(**kwargs):
    return bookings_anonymise(days=DAYS, **kwargs)


def test_a_finished_booking_is_kept_on_the_boundary_day_and_anonymised_the_day_before(
        network, applicant_user, day):
    kept = cancelled(applicant_user, network.kanim_a, day, on=cutoff(), serial=1)
    gone = cancelled(applicant_user, network.kanim_a, day, on=cutoff() - dt.timedelta(days=1), serial=2,
                     birth_date=dt.date(1984, 7, 9), email="ani@example.invalid")
    result = run()
    assert result.counts == {"bookings": 1, "ballot_entries": 0}
    kept.refresh_from_db()
    gone.refresh_from_db()
    assert kept.anonymised_at is None and kept.nik and kept.account_id
    assert gone.anonymised_at is not None
    assert {field: getattr(gone, field) for field in PERSONAL} == {
        "nik": "", "name": "", "phone": "", "email": "", "device": "", "ip": None, "details": {},
        "account_id": None}
    assert gone.birth_date == dt.date(1984, 1, 1)


def test_what_the_figures_need_stays(network, applicant_user, day):
    booking = cancelled(applicant_user, network.kanim_a, day, on=cutoff() - dt.timedelta(days=5))
    before = Booking.objects.filter(pk=booking.pk).values(
        "ref", "code", "office_id", "slot_id", "service_date", "slot_time", "service", "channel", "status",
        "created_at", "cancelled_at").get()
    run()
    after = Booking.objects.filter(pk=booking.pk).values(*before).get()
    assert after == before


def test_a_final_step_after_the_cutoff_keeps_the_booking(network, applicant_user, day):
    # Served long ago, but cancelled (its last step) within the period: counted from that step.
    booking = cancelled(applicant_user, network.kanim_a, day, on=cutoff() - dt.timedelta(days=3))
    Booking.objects.filter(pk=booking.pk).update(cancelled_at=dt.datetime.combine(
        cutoff(), dt.time(0, 30), tzinfo=dt.UTC))
    assert run().counts["bookings"] == 0


def test_no_shows_are_anonymised_and_active_bookings_never_are(network, applicant_user, other_user, day):
    long_ago = cutoff() - dt.timedelta(days=30)
    no_show = age(builders.booking(applicant_user, network.kanim_a, day, serial=11), long_ago)
    no_shows_mark()
    age(no_show, long_ago)  # marked that evening, as the job does, not today
    still_booked = age(builders.booking(other_user, network.kanim_a, day, serial=12), long_ago)
    assert Booking.objects.get(pk=no_show.pk).status == BookingStatus.NO_SHOW
    run()
    assert Booking.objects.get(pk=no_show.pk).anonymised_at is not None
    untouched = Booking.objects.get(pk=still_booked.pk)
    assert untouched.status == BookingStatus.BOOKED
    assert untouched.anonymised_at is None and untouched.nik == still_booked.nik


def test_a_held_booking_is_kept(network, applicant_user, day):
    held = cancelled(applicant_user, network.kanim_a, day, on=cutoff() - dt.timedelta(days=2), serial=21)
    free = cancelled(applicant_user, network.kanim_a, day, on=cutoff() - dt.timedelta(days=2), serial=22)
    hold = Hold("test", f"SELECT ref FROM candidates WHERE ref = '{held.ref}'")
    assert run(holds=[hold], dry_run=True).counts["bookings"] == 1
    assert run(holds=[hold]).counts["bookings"] == 1
    assert Booking.objects.get(pk=held.pk).anonymised_at is None
    assert Booking.objects.get(pk=free.pk).anonymised_at is not None


def test_a_second_run_finds_nothing_and_records_nothing(network, applicant_user, day):
    for serial in range(3):
        cancelled(applicant_user, network.kanim_a, day, on=cutoff() - dt.timedelta(days=1), serial=30 + serial)
    assert run().counts["bookings"] == 3
    events = Event.objects.filter(action=Action.RETENTION_APPLY).count()
    again = run()
    assert again.counts == {"bookings": 0, "ballot_entries": 0} and again.batches == 0
    assert Event.objects.filter(action=Action.RETENTION_APPLY).count() == events


def test_each_batch_records_one_summary_event_without_personal_data(network, applicant_user, day):
    made = [cancelled(applicant_user, network.kanim_a, day, on=cutoff() - dt.timedelta(days=1), serial=40 + i)
            for i in range(5)]
    result = run(batch=2)
    assert (result.counts["bookings"], result.batches) == (5, 3)
    events = list(Event.objects.filter(action=Action.RETENTION_APPLY).order_by("id"))
    assert [event.details["bookings"] for event in events] == [2, 2, 1]
    assert {(event.actor_type, event.actor_id, event.target_id) for event in events} == {
        ("system", "retention", "bookings")}
    assert events[0].details == {"kind": "bookings", "cutoff": cutoff().isoformat(), "batch": 1,
                                 "bookings": 2, "ballot_entries": 0}
    text = str([event.details for event in events])
    assert not any(booking.nik in text or booking.ref in text for booking in made)


def test_a_dry_run_counts_and_writes_nothing(network, applicant_user, day):
    booking = cancelled(applicant_user, network.kanim_a, day, on=cutoff() - dt.timedelta(days=1))
    events = Event.objects.count()
    result = run(dry_run=True)
    assert result.counts == {"bookings": 1, "ballot_entries": 0} and result.dry_run
    assert Booking.objects.get(pk=booking.pk).anonymised_at is None
    assert Event.objects.count() == events


def test_zero_keeps_every_booking(network, applicant_user, day):
    booking = cancelled(applicant_user, network.kanim_a, day, on=cutoff() - dt.timedelta(days=3000))
    result = bookings_anonymise(days=0)
    assert result.skipped == "kept forever"
    assert Booking.objects.get(pk=booking.pk).anonymised_at is None


def test_batches_go_on_past_a_held_booking_to_the_newer_ones(network, applicant_user, day):
    older = cancelled(applicant_user, network.kanim_a, day, on=cutoff() - dt.timedelta(days=9), serial=51)
    held = cancelled(applicant_user, network.kanim_a, day, on=cutoff() - dt.timedelta(days=8), serial=52)
    newer = cancelled(applicant_user, network.kanim_a, day, on=cutoff() - dt.timedelta(days=7), serial=53)
    result = run(holds=[Hold("test", f"SELECT '{held.ref}' AS ref")], batch=1)
    assert (result.counts["bookings"], result.batches) == (2, 2)
    assert set(Booking.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True)) == {
        older.pk, newer.pk}
