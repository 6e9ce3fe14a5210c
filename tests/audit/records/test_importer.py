"""The import run: batches in one transaction each, outcomes per kind, the run in the trail."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import Event
from audit.records import records_import
from offices.errors import NotAllowed
from offices.models import Office
from tests import builders

from .conftest import problems
from .samples import account, booking, event, office, staff, unit


def test_records_are_loaded_in_reference_order_across_batches(db, records_file, run_import):
    path = records_file(office(), unit(), staff(), account(), booking(),
                        event("CHECK_IN", booking="bk-001"))
    report = run_import(path, batch_size=2)
    assert report.summary() == {kind: {"created": n} for kind, n in
                                [("account", 1), ("booking", 1), ("event", 1), ("office", 2), ("staff", 1)]}


def test_a_reference_to_a_record_further_down_the_same_batch_is_refused(db, records_file, run_import):
    report = run_import(records_file(staff(), office()), batch_size=100)
    assert problems(report) == [(1, "office", "error")]


def test_an_unknown_kind_and_a_missing_kind_are_errors(db, records_file, run_import):
    report = run_import(records_file({"kind": "passport"}, {"code": "X"}))
    assert problems(report) == [(1, "kind", "error"), (2, "kind", "error")]
    assert report.failed == 2


def test_findings_are_skipped_with_a_warning(db, records_file, run_import):
    report = run_import(records_file({"kind": "finding", "detector": "x"}))
    assert problems(report) == [(1, "kind", "warning")]
    assert report.failed == 0


def test_good_records_are_kept_when_others_fail(db, records_file, run_import):
    report = run_import(records_file(office(), office("BAD", type="?"), office("KANIM-BDG")),
                        batch_size=100)
    assert report.counts["office"] == {"created": 2, "failed": 1}
    assert set(Office.objects.values_list("code", flat=True)) == {"KANIM-JKS", "KANIM-BDG"}


def test_several_files_are_read_in_order(db, records_file, run_import):
    report = run_import(records_file(office()), records_file(unit()))
    assert report.counts["office"]["created"] == 2


def test_the_run_is_recorded_in_the_trail_with_counts_and_files(db, records_file, run_import):
    path = records_file(office(), office("BAD", type="?"))
    run_import(path)
    run = Event.objects.get(action="RECORDS_IMPORT")
    assert (run.actor_type, run.actor_id, run.source) == ("system", "tests", "app")
    assert run.details["files"] == [path]
    assert run.details["counts"] == {"office": {"created": 1, "failed": 1}}
    assert run.details["errors"] == 1


def test_only_the_directorate_may_import(network, records_file):
    with pytest.raises(NotAllowed):
        records_import(actor=network.head_a, paths=[records_file(office())], progress=False)
    assert records_import(actor=network.supervisor, paths=[records_file(office())], progress=False).failed == 0


def test_the_batch_size_must_be_positive(db, records_file):
    with pytest.raises(ValidationError) as caught:
        records_import(actor=builders.SYSTEM, paths=[records_file(office())], batch_size=0, progress=False)
    assert "batch_size" in caught.value.message_dict


def test_problems_are_reported_in_file_order(db, records_file, run_import):
    # Line 1 fails when loaded (its parent is unknown), line 2 when read: the report keeps the file's order.
    report = run_import(records_file(unit(parent="KANIM-NOWHERE"), office("BAD", type="?"), office()))
    assert [problem.line for problem in report.problems()] == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_events_written_from_a_second_connection_are_the_same(records_file):
    # The command writes events from a worker thread's own connection while the next batch is
    # read; a half-imported file is still finished by importing it whole.
    events = [event(at=f"2017-11-03T08:{minute:02d}:00+07:00") for minute in range(30)]
    head = records_file(office(), staff(), *events[:12])
    whole = records_file(office(), staff(), *events)
    first = records_import(actor=builders.SYSTEM, paths=[head], batch_size=5, progress=False, concurrent=True)
    second = records_import(actor=builders.SYSTEM, paths=[whole], batch_size=5, progress=False, concurrent=True)
    assert first.counts["event"] == {"created": 12}
    assert second.counts["event"] == {"created": 18, "unchanged": 12}
    assert Event.objects.filter(source="import").count() == 30


def _estimated_rows(table: str) -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        return cursor.fetchone()[0]


def test_a_large_import_refreshes_the_planner_statistics_of_what_it_loaded(db, records_file, run_import):
    from audit.records.importer import ANALYSE_FROM_ROWS
    from bookings.models import Booking

    many = [booking(f"bk-{n:05d}", nik=f"317101010190{n:04d}", status="ISSUED")
            for n in range(1, ANALYSE_FROM_ROWS + 2)]
    report = run_import(records_file(office(), account(), *many))
    assert report.counts["booking"] == {"created": len(many)}
    # ANALYZE of a table this small reads every row: the estimate is the count itself.
    assert _estimated_rows("bookings_booking") == Booking.objects.count() == len(many)
