"""Event records: bulk-loaded into the one audit trail, resolved in bulk, idempotent by fingerprint."""

import pytest
from django.db import IntegrityError, connection, transaction

from audit.models import Event

from ..conftest import problems
from ..samples import NIP_A, account, booking, event, office, staff


@pytest.fixture
def history(records_file):
    """Offices, one officer, one account and one booking: what events refer to."""
    return records_file(office(), staff(), account(), booking())


def imported_events():
    return Event.objects.filter(source="import").order_by("at", "id")


def test_events_enter_the_trail_marked_as_imported(db, history, records_file, run_import):
    run_import(history)
    report = run_import(records_file(event(), event("CHECK_IN", booking="bk-001", at="2017-11-03T08:01:00+07:00")))
    assert report.counts["event"]["created"] == 2
    login, check_in = imported_events()
    assert (login.actor_type, login.actor_id, login.actor_role, login.office.code) == \
        ("staff", NIP_A, "OFFICER", "KANIM-JKS")
    assert (check_in.target_type, check_in.target_id) == ("booking", "bk-001")
    assert check_in.at.isoformat() == "2017-11-03T01:01:00+00:00"


def test_a_monthly_partition_is_made_for_old_history(db, history, records_file, run_import):
    run_import(history, records_file(event(at="2016-02-10T09:00:00+07:00")))
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM audit_event WHERE source = 'import'")
        assert cursor.fetchone()[0] == "audit_event_y2016m02"


def test_importing_the_same_events_again_adds_nothing(db, history, records_file, run_import):
    events = records_file(event(), event("STAFF_LOGOUT", at="2017-11-03T16:00:00+07:00"))
    run_import(history, events)
    report = run_import(events)
    assert report.counts["event"] == {"unchanged": 2}
    assert imported_events().count() == 2


def test_the_same_event_written_with_another_offset_is_the_same_event(db, history, records_file, run_import):
    run_import(history, records_file(event(at="2017-11-03T07:55:00+07:00")))
    report = run_import(records_file(event(at="2017-11-03T00:55:00Z")))
    assert report.counts["event"] == {"unchanged": 1}


def test_a_repeated_event_within_one_file_is_loaded_once(db, history, records_file, run_import):
    report = run_import(history, records_file(event(), event()))
    assert report.counts["event"] == {"created": 1, "unchanged": 1}


def test_a_half_imported_file_is_finished_by_importing_it_whole(db, history, records_file, run_import):
    events = [event(at=f"2017-11-03T08:{minute:02d}:00+07:00") for minute in range(40)]
    run_import(history, records_file(*events[:20]), batch_size=7)
    report = run_import(history, records_file(*events), batch_size=7)
    assert report.counts["event"] == {"created": 20, "unchanged": 20}
    assert imported_events().count() == 40


def test_unknown_keys_are_kept_in_details_and_the_portal_keys_are_read(db, history, records_file, run_import):
    run_import(history, records_file(event(
        "OFFICE_UPDATE", target={"type": "office", "id": "KANIM-JKS"}, user_agent="LegacyQ/2.1",
        legacy_row=991)))
    [imported] = imported_events()
    assert (imported.target_type, imported.target_id, imported.user_agent) == ("office", "KANIM-JKS", "LegacyQ/2.1")
    assert imported.details == {"_record": {"legacy_row": 991}}


def test_events_of_accounts_and_the_system_are_imported(db, history, records_file, run_import):
    report = run_import(history, records_file(
        event("BOOK", actor={"account": "acc-001"}, booking="bk-001", office=None),
        event("MARK_NO_SHOW", actor={"system": "no_show_marker"}, booking="bk-001")))
    assert report.counts["event"]["created"] == 2
    assert list(imported_events().values_list("actor_type", flat=True)) == ["account", "system"]


@pytest.mark.parametrize(("record", "key"), [
    (event(actor={"staff": "199901012020011999"}), "actor.staff"),
    (event(actor={"account": "acc-unknown"}), "actor.account"),
    (event("CHECK_IN", booking="bk-unknown"), "booking"),
    (event(office="KANIM-NOWHERE"), "office"),
])
def test_a_dangling_reference_names_its_key(db, history, records_file, run_import, record, key):
    report = run_import(history, records_file(record))
    assert [(line, k) for line, k, _severity in problems(report)] == [(1, key)]
    assert not imported_events().exists()


@pytest.mark.parametrize(("record", "key"), [
    ({k: v for k, v in event().items() if k != "at"}, "at"),
    (event(at="2017-11-03 07:55"), "at"),
    (event(actor={"staff": NIP_A, "system": "x"}), "actor"),
    (event(actor="someone"), "actor"),
    (event(action="DANCE"), "action"),
    (event("CHECK_IN"), "booking"),
    (event(office=None), "office"),
    (event(ip="300.1.1.1"), "ip"),
    (event(details=[1, 2]), "details"),
])
def test_a_structural_error_names_its_key(db, history, records_file, run_import, record, key):
    report = run_import(history, records_file(record))
    assert [(line, k) for line, k, _severity in problems(report)] == [(1, key)]


def test_a_bad_event_is_not_written_while_its_neighbours_are(db, history, records_file, run_import):
    report = run_import(history, records_file(event(), event(action="DANCE"),
                                              event(at="2017-11-03T09:00:00+07:00")))
    assert report.counts["event"] == {"created": 2, "failed": 1}


def test_the_database_refuses_a_second_event_with_the_same_import_key(db, history, records_file, run_import):
    run_import(history, records_file(event()))
    with pytest.raises(IntegrityError, match="import_key"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("""INSERT INTO audit_event (at, actor_type, action, source, import_key)
                              SELECT at, actor_type, action, source, import_key FROM audit_event
                              WHERE source = 'import'""")


def test_events_loaded_by_another_import_meanwhile_are_unchanged_not_doubled(
        db, history, records_file, run_import, monkeypatch):
    # Another import commits the same events between this batch's look-up and its COPY: the
    # unique index refuses the COPY, and the batch is replayed record by record.
    from audit.records.kinds import event as event_kind

    events = records_file(event(), event(at="2017-11-03T09:00:00+07:00"))
    run_import(history, events)
    real = event_kind._already_loaded
    calls = []

    def misses_once(items):
        calls.append(len(items))
        return set() if len(calls) == 1 else real(items)

    monkeypatch.setattr(event_kind, "_already_loaded", misses_once)
    report = run_import(events)
    assert report.counts["event"] == {"unchanged": 2}
    assert calls[0] == 2
    assert imported_events().count() == 2


def test_events_out_of_time_order_across_months_are_found_again_by_their_time_and_key(
        db, history, records_file, run_import):
    """Each fingerprint is looked up with its event's own time: the order of the file and the
    months a batch spans do not matter, and fractions of a second count."""
    times = [f"2017-{month}-{day:02d}T08:00:0{second}.{micro:06d}+07:00"
             for month, day, second, micro in ((11, 3, 0, 0), (12, 1, 1, 250), (11, 28, 2, 999999),
                                               (12, 20, 3, 0), (11, 15, 4, 1))]
    events = [event(at=at) for at in times]
    run_import(history, records_file(*events[::-1]), batch_size=3)
    later = event(at="2017-12-02T09:00:00+07:00")
    report = run_import(records_file(events[2], later, events[4], events[0], events[3], events[1]), batch_size=4)
    assert report.counts["event"] == {"unchanged": 5, "created": 1}
    assert imported_events().count() == 6
