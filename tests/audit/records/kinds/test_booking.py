"""Booking records: history as it was (imported, no slot, live rules not applied), statuses mapped."""

from bookings.choices import BookingStatus
from bookings.models import Account, Booking

from ..conftest import problems
from ..samples import account, booking, office


def test_a_booking_is_imported_without_a_slot_and_marked_imported(db, records_file, run_import):
    report = run_import(records_file(office(), account(), booking()))
    assert report.counts["booking"]["created"] == 1
    imported = Booking.objects.get(ref="bk-001")
    assert (imported.imported, imported.slot_id, imported.account.ref) == (True, None, "acc-001")
    assert imported.slot_time.strftime("%H:%M") == "08:00"


def test_the_records_status_maps_to_the_earliest_step_it_covers(db, records_file, run_import):
    run_import(records_file(office(), account(), booking(status="IN_PROCESS")))
    assert Booking.objects.get(ref="bk-001").status == BookingStatus.DOCUMENTS_VERIFIED


def test_live_rules_do_not_apply_to_history(db, records_file, run_import):
    # An invalid NIK, the same NIK twice with active bookings, and more active bookings on one
    # account than the live cap allows: all of it is history to keep, not to refuse.
    bookings = [booking(f"bk-{n}", nik="0000000000000000") for n in range(8)]
    report = run_import(records_file(office(), account(), *bookings))
    assert report.counts["booking"]["created"] == 8
    assert Account.objects.get(ref="acc-001").active_bookings == 0


def test_a_walk_in_has_no_account(db, records_file, run_import):
    report = run_import(records_file(office(), booking(account=None, channel="WALK_IN")))
    assert report.counts["booking"]["created"] == 1
    assert Booking.objects.get(ref="bk-001").account is None


def test_a_booking_of_an_unknown_account_is_a_dangling_reference(db, records_file, run_import):
    report = run_import(records_file(office(), booking(account="acc-missing")))
    assert problems(report) == [(2, "account", "error")]
    assert not Booking.objects.exists()


def test_unknown_service_channel_and_status_are_refused(db, records_file, run_import):
    report = run_import(records_file(office(), account(), booking("a", service="VISA"),
                                     booking("b", channel="FAX"), booking("c", status="LOST")))
    assert problems(report) == [(3, "service", "error"), (4, "channel", "error"), (5, "status", "error")]


def test_an_error_about_a_nik_does_not_repeat_it(db, records_file, run_import):
    report = run_import(records_file(office(), account(), booking(nik="3171014101900001" * 3)))
    [problem] = list(report.problems())
    assert problem.key == "nik"
    assert "3171014101900001" not in problem.message


def test_a_status_change_is_applied_with_update(db, records_file, run_import):
    run_import(records_file(office(), account(), booking()))
    refused = run_import(records_file(booking(status="ISSUED")))
    assert problems(refused) == [(1, "status", "error")]
    run_import(records_file(booking(status="ISSUED")), update=True)
    assert Booking.objects.get(ref="bk-001").status == BookingStatus.ISSUED
