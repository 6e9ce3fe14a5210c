"""Booking records: history as it was (imported, no slot, live rules not applied), statuses mapped."""

import datetime as dt
import io

import orjson
import pytest

from audit.records import records_export
from bookings.choices import BookingStatus
from bookings.models import Account, Booking
from tests import builders

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


ANONYMISED_AT = "2026-11-20T01:30:00.123456+00:00"


def anonymised(ref: str = "bk-001", **values) -> dict:
    """A booking record as the portal exports it once retention has removed its applicant."""
    blanks = {"account": None, "channel": "ONLINE", "nik": "ANONYMISED", "name": "ANONYMISED", "phone": "",
              "email": None, "ip": None, "device": None, "birth_date": "1990-01-01", "status": "ISSUED",
              "anonymised_at": ANONYMISED_AT}
    return booking(ref, **{**blanks, **values})


def test_an_anonymised_record_is_stored_as_retention_leaves_it_not_as_a_person_called_anonymised(
        db, records_file, run_import):
    report = run_import(records_file(office(), anonymised()))
    assert report.counts["booking"]["created"] == 1 and report.warnings == 0
    stored = Booking.objects.get(ref="bk-001")
    assert (stored.nik, stored.name, stored.phone, stored.email, stored.ip, stored.device) == ("", "", "", "", None, "")
    assert (stored.account_id, stored.details, stored.birth_date) == (None, {}, dt.date(1990, 1, 1))
    assert stored.anonymised_at == dt.datetime(2026, 11, 20, 1, 30, 0, 123456, tzinfo=dt.UTC)
    assert (stored.channel, stored.status) == ("ONLINE", BookingStatus.ISSUED)


def test_a_null_mark_is_an_ordinary_booking(db, records_file, run_import):
    run_import(records_file(office(), account(), booking(anonymised_at=None)))
    stored = Booking.objects.get(ref="bk-001")
    assert (stored.nik, stored.anonymised_at, stored.details) == ("3171014101900001", None, {})


@pytest.mark.parametrize(("key", "value"), [
    ("nik", "3171014101900001"), ("name", "Siti Aminah"), ("phone", "081234567890"),
    ("email", "siti@example.invalid"), ("ip", "203.0.113.7"), ("device", "dev-7f3a"), ("account", "acc-001"),
    ("birth_date", "1990-05-03"),
])
def test_a_marked_record_that_carries_personal_data_is_refused_without_repeating_it(
        db, records_file, run_import, key, value):
    report = run_import(records_file(office(), account(), anonymised(**{key: value})))
    [problem] = list(report.problems())
    assert (problem.line, problem.key, problem.severity) == (3, key, "error")
    assert "anonymised" in problem.message and value not in problem.message
    assert not Booking.objects.exists()


def test_a_mark_that_is_not_a_timestamp_is_refused(db, records_file, run_import):
    report = run_import(records_file(office(), anonymised(anonymised_at="yesterday")))
    assert problems(report) == [(2, "anonymised_at", "error")]
    assert not Booking.objects.exists()


def test_unknown_keys_of_an_anonymised_record_are_ignored_with_a_warning(db, records_file, run_import):
    report = run_import(records_file(office(), anonymised(legacy_form="F-7")))
    assert problems(report) == [(2, "legacy_form", "warning")]
    assert Booking.objects.get(ref="bk-001").details == {}


def test_an_anonymised_booking_is_exported_with_placeholders_and_its_mark(db, records_file, run_import):
    run_import(records_file(office(), anonymised()))
    out = io.BytesIO()
    records_export(actor=builders.SYSTEM, out=out, kinds=["booking"])
    [record] = [orjson.loads(line) for line in out.getvalue().splitlines()]
    assert record == anonymised(created_at="2017-10-01T03:05:00+00:00")  # times in UTC


def test_an_ordinary_booking_is_exported_without_the_mark(db, records_file, run_import):
    run_import(records_file(office(), account(), booking()))
    out = io.BytesIO()
    records_export(actor=builders.SYSTEM, out=out, kinds=["booking"])
    assert "anonymised_at" not in orjson.loads(out.getvalue().splitlines()[0])


def test_an_anonymised_booking_gets_no_personal_data_back_even_with_update(db, records_file, run_import):
    run_import(records_file(office(), account(), anonymised()))
    for update in (False, True):
        report = run_import(records_file(booking(status="ISSUED")), update=update)
        [problem] = list(report.problems())
        assert (problem.key, problem.severity) == ("account", "error")
        assert "is anonymised and cannot be changed" in problem.message
    stored = Booking.objects.get(ref="bk-001")
    assert (stored.nik, stored.name, stored.account_id) == ("", "", None)
    assert stored.anonymised_at is not None


def test_a_marked_record_anonymises_a_known_booking_with_update(db, records_file, run_import):
    run_import(records_file(office(), account(), booking(status="ISSUED", legacy_form="F-7")))
    run_import(records_file(anonymised()), update=True)
    stored = Booking.objects.get(ref="bk-001")
    assert (stored.nik, stored.name, stored.phone, stored.ip, stored.account_id, stored.details) == \
        ("", "", "", None, None, {})
    assert stored.anonymised_at is not None
    assert run_import(records_file(anonymised())).counts["booking"] == {"unchanged": 1}
