"""Round trip: import a file, export it, import the export into an empty database, export again.

The two exports must be byte-identical, and the first must hold every record of the file.
The second database is a real, freshly migrated one, driven through the commands. Bookings
anonymised by retention in between arrive anonymised, column for column.
"""

import datetime as dt
import io
from collections import Counter

import orjson
import pytest
from django.db import connection

from audit.records import records_export
from bookings.retention import bookings_anonymise
from tests import builders
from tests.passport_portal.scratch_db import connect, manage, scratch_database

from .samples import NIP_B, account, booking, event, office, staff, unit

UNTIL = "2020-01-01T00:00:00+00:00"


def edge_cases() -> list[dict]:
    """Every kind, with what history holds: broken rules, unknown keys, odd but valid shapes."""
    return [
        office(legacy_id=17, city="Jakarta Selatan", opens_at="07:30", closes_at="16:00"),
        unit(),
        office("KANIM-JYP", name="Kantor Imigrasi Kelas I Jayapura", region="Papua", timezone="Asia/Jayapura",
               daily_quota=0),
        staff(),
        staff(NIP_B, office="KANIM-JYP", role="OFFICE_HEAD", active_from="2016-07-01",
              active_until="2017-12-31", name="Ni Luh Putu Ayu Ñ"),
        account(),
        account("acc-agency", agency_license="PPIU-2017-081", device=None, ip="2001:db8::7", referrer="x"),
        booking(status="ISSUED", nik="3171014101900001", legacy_form="F-7"),
        booking("bk-002", status="IN_PROCESS", nik="0000000000000000"),  # an invalid NIK, kept
        booking("bk-003", account=None, channel="PRIORITY", office="KANIM-JYP", email="walk@example.invalid",
                status="NO_SHOW", created_at="2017-11-20T08:00:00+09:00", device=None, ip=None),
        event("BOOK", actor={"account": "acc-001"}, office=None, booking="bk-001",
              at="2017-10-01T10:05:00.123456+07:00"),
        event("CHECK_IN", booking="bk-001", at="2017-11-03T07:10:00+07:00"),
        event("OVERRIDE", booking="bk-001", at="2017-11-03T07:11:00+07:00",
              details={"skipped": "INTERVIEW", "reason": "lansia"}),
        event("APPROVE", booking="bk-001", at="2017-11-03T07:12:00+07:00"),
        event("HAND_OVER", booking="bk-001", at="2017-11-08T10:00:00+07:00",
              details={"collected_by": "3171014101900002"}),
        event("MARK_NO_SHOW", actor={"system": "no_show_marker"}, office="KANIM-JYP", booking="bk-003",
              at="2017-11-21T17:00:00+09:00", ip=None),
        event("QUOTA_CHANGE", actor={"staff": NIP_B}, office="KANIM-JYP", at="2017-12-01T08:00:00+09:00",
              details={"date": "2017-12-02", "old": 0, "new": 40}, legacy_row=5),
        event("OFFICE_UPDATE", target={"type": "office", "id": "KANIM-JYP"}, user_agent="LegacyQ/2.1",
              request_id="r-1", at="2017-12-01T09:00:00+07:00"),
        event("STAFF_LOGOUT", at="2017-12-31T23:59:59.999999+07:00"),
    ]


def export_bytes() -> bytes:
    out = io.BytesIO()
    records_export(actor=builders.SYSTEM, out=out, until=dt.datetime.fromisoformat(UNTIL))
    return out.getvalue()


@pytest.mark.django_db
def test_an_export_imported_into_an_empty_database_exports_identically(records_file, run_import, tmp_path):
    original = edge_cases()
    report = run_import(records_file(*original))
    assert report.failed == 0
    first = export_bytes()
    assert Counter(orjson.loads(line)["kind"] for line in first.splitlines()) == \
        Counter(record["kind"] for record in original)
    (tmp_path / "first.jsonl").write_bytes(first)
    with scratch_database("records") as database:
        manage(database, "migrate", "--no-input")
        manage(database, "import_records", "--no-progress", str(tmp_path / "first.jsonl"))
        manage(database, "export_records", "--until", UNTIL, "--output", str(tmp_path / "second.jsonl"))
    assert (tmp_path / "second.jsonl").read_bytes() == first


@pytest.mark.django_db
def test_an_export_imported_back_into_its_own_database_changes_nothing(records_file, run_import):
    run_import(records_file(*edge_cases()))
    first = export_bytes()
    report = run_import(records_file(*(orjson.loads(line) for line in first.splitlines())))
    assert all(set(counts) == {"unchanged"} for counts in report.summary().values())
    assert export_bytes() == first


@pytest.mark.django_db
def test_a_generated_scenario_survives_the_round_trip(run_import, tmp_path):
    from django.core.management import call_command

    scenario = tmp_path / "scenario.jsonl"
    call_command("generate_scenario", "--size", "tiny", "--output", str(scenario),
                 "--truth", str(tmp_path / "truth.json"), "--no-progress", stdout=io.StringIO())
    report = run_import(str(scenario), batch_size=5000)
    assert report.failed == 0 and report.warnings == 0
    first = export_bytes()
    written = Counter(orjson.loads(line)["kind"] for line in scenario.read_bytes().splitlines())
    assert Counter(orjson.loads(line)["kind"] for line in first.splitlines()) == written
    (tmp_path / "first.jsonl").write_bytes(first)
    with scratch_database("records") as database:
        manage(database, "migrate", "--no-input")
        manage(database, "import_records", "--no-progress", str(tmp_path / "first.jsonl"))
        manage(database, "export_records", "--until", UNTIL, "--output", str(tmp_path / "second.jsonl"))
    assert (tmp_path / "second.jsonl").read_bytes() == first


# Every column retention touches or keeps, with the account by ref (ids differ between databases).
BOOKING_ROWS = """
    SELECT b.ref, a.ref, o.code, b.service_date, b.slot_time, b.service, b.channel, b.status, b.nik, b.name,
           b.birth_date, b.phone, b.email, host(b.ip), b.device, b.details::text, b.collected_by, b.imported,
           b.created_at, b.anonymised_at
    FROM bookings_booking b JOIN offices_office o ON o.id = b.office_id
    LEFT JOIN bookings_account a ON a.id = b.account_id
    ORDER BY b.ref
"""


@pytest.mark.django_db
def test_bookings_anonymised_by_retention_travel_and_arrive_anonymised(records_file, run_import, tmp_path):
    assert run_import(records_file(*edge_cases())).failed == 0
    # The 2017 history is long past the period: the finished bookings go, the one in process stays.
    assert bookings_anonymise(days=730).counts["bookings"] == 2
    first = export_bytes()
    bookings = {record["ref"]: record for record in map(orjson.loads, first.splitlines())
                if record["kind"] == "booking"}
    assert {ref for ref, record in bookings.items() if "anonymised_at" in record} == {"bk-001", "bk-003"}
    assert (bookings["bk-001"]["nik"], bookings["bk-001"]["name"], bookings["bk-001"]["account"]) == \
        ("ANONYMISED", "ANONYMISED", None)
    assert bookings["bk-002"]["nik"] == "0000000000000000"
    with connection.cursor() as cursor:
        cursor.execute(BOOKING_ROWS)
        here = cursor.fetchall()
    (tmp_path / "first.jsonl").write_bytes(first)
    with scratch_database("records") as database:
        manage(database, "migrate", "--no-input")
        manage(database, "import_records", "--no-progress", str(tmp_path / "first.jsonl"))
        manage(database, "export_records", "--until", UNTIL, "--output", str(tmp_path / "second.jsonl"))
        with connect(database) as other:
            there = other.execute(BOOKING_ROWS).fetchall()
    assert there == here
    assert [row[8:10] for row in there if row[-1] is not None] == [("", ""), ("", "")]
    assert (tmp_path / "second.jsonl").read_bytes() == first
