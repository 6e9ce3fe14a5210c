"""Export: every kind in reference order, the format's vocabulary, filters that keep references whole."""

import datetime as dt
import io

import orjson
import pytest

from audit.records import records_export
from offices.errors import NotAllowed
from tests import builders

from .samples import account, booking, event, office, staff, unit

UTC = dt.UTC


@pytest.fixture
def imported(db, records_file, run_import):
    run_import(records_file(
        office(), unit(), office("KANIM-MKS", timezone="Asia/Makassar", region="Sulawesi Selatan"),
        staff(), account(), booking(status="IN_PROCESS"),
        booking("bk-002", account=None, office="KANIM-MKS", created_at="2017-12-20T09:00:00+08:00"),
        event(), event("CHECK_IN", booking="bk-001", at="2017-11-03T08:00:00+07:00"),
        event("MARK_NO_SHOW", actor={"system": "no_show_marker"}, office="KANIM-MKS", booking="bk-002",
              at="2017-12-21T17:00:00+08:00"),
    ))


def export(**filters) -> list[dict]:
    out = io.BytesIO()
    records_export(actor=builders.SYSTEM, out=out, **filters)
    return [orjson.loads(line) for line in out.getvalue().splitlines()]


def test_kinds_come_in_reference_order_with_kanim_before_units(imported):
    records = export(until=dt.datetime(2018, 1, 1, tzinfo=UTC))
    kinds = [r["kind"] for r in records]
    assert kinds == sorted(kinds, key=["office", "staff", "account", "booking", "event"].index)
    assert [r["code"] for r in records if r["kind"] == "office"] == ["KANIM-JKS", "KANIM-MKS", "ULP-KOKAS"]


def test_statuses_are_written_in_the_format_vocabulary(imported):
    statuses = {r["ref"]: r["status"] for r in export(kinds=["booking"])}
    assert statuses == {"bk-001": "IN_PROCESS", "bk-002": "BOOKED"}


def test_event_times_are_written_in_their_office_zone(imported):
    events = export(kinds=["event"], until=dt.datetime(2018, 1, 1, tzinfo=UTC))
    assert [e["at"] for e in events] == ["2017-11-03T07:55:00+07:00", "2017-11-03T08:00:00+07:00",
                                         "2017-12-21T17:00:00+08:00"]
    assert events[2]["actor"] == {"system": "no_show_marker"}


def test_an_office_filter_keeps_its_kanim_and_what_its_events_name(imported):
    records = export(office_code="KANIM-MKS", until=dt.datetime(2018, 1, 1, tzinfo=UTC))
    assert [(r["kind"], r.get("code") or r.get("ref") or r.get("action")) for r in records] == [
        ("office", "KANIM-MKS"), ("booking", "bk-002"), ("event", "MARK_NO_SHOW")]


def test_a_time_filter_keeps_the_bookings_and_accounts_its_events_name(imported):
    records = export(kinds=["account", "booking", "event"], since=dt.datetime(2017, 11, 1, tzinfo=UTC),
                     until=dt.datetime(2017, 12, 1, tzinfo=UTC))
    assert [(r["kind"], r.get("ref") or r.get("action")) for r in records] == [
        ("account", "acc-001"), ("booking", "bk-001"), ("event", "STAFF_LOGIN"), ("event", "CHECK_IN")]


def test_exports_are_recorded_in_the_trail(imported):
    from audit.models import Event

    export(kinds=["office"])
    assert Event.objects.get(action="RECORDS_EXPORT").details["counts"] == {"office": 3}


def test_an_office_head_may_not_export(network):
    with pytest.raises(NotAllowed):
        records_export(actor=network.head_a, out=io.BytesIO())
