"""Every line the generator writes is a valid records-v1 record, in a valid order."""

import datetime as dt

import orjson

from offices.sample_network import PROVINCES, sample_offices
from offices.validators import nip_problem

from .records_v1 import ZONES, validate_records


def test_every_line_is_valid_records_v1_with_references_first(tiny):
    assert validate_records(tiny.records) == []


def test_the_validator_catches_missing_keys_bad_enums_and_dangling_references():
    office = {"kind": "office", "code": "K", "name": "K", "type": "KANIM", "parent": None, "region": "Bali",
              "timezone": "Asia/Makassar", "daily_quota": 10}
    booking_without_channel = {"kind": "booking", "ref": "B1"}
    event = {"kind": "event", "at": "2017-11-06T08:00:00+08:00", "actor": {"staff": "1" * 18}, "office": "K",
             "action": "TELEPORT", "booking": "B9", "ip": None, "details": {}}

    problems = validate_records([office, booking_without_channel, event])

    keys = {key for _line, key, _message in problems}
    assert {"channel", "actor.staff", "action"} <= keys
    assert (3, "booking", "dangling or later booking") not in problems  # unknown action: not a booking one


def test_office_records_are_identical_to_the_sample_network(tiny):
    regions = {code: name for code, name, _zone, _cities in PROVINCES}
    samples = {office.code: office for office in sample_offices()}

    for code, record in tiny.offices.items():
        sample = samples[code]
        assert record == {"kind": "office", "code": code, "name": sample.name, "type": sample.type,
                          "parent": sample.parent_code, "region": regions[sample.region_code],
                          "timezone": sample.timezone, "daily_quota": sample.daily_quota, "city": sample.city,
                          "opens_at": sample.opens_at, "closes_at": sample.closes_at}


def test_staff_events_and_bookings_carry_their_office_zone_offset(tiny):
    for event in tiny.events:
        if event["office"] is not None:
            assert event["at"].endswith(ZONES[tiny.offices[event["office"]]["timezone"]]), event
    for booking in tiny.bookings.values():
        assert booking["created_at"].endswith(ZONES[tiny.offices[booking["office"]]["timezone"]])


def test_the_scenario_spans_all_three_zones(tiny):
    assert {office["timezone"] for office in tiny.offices.values()} == set(ZONES)


def test_truth_is_one_json_document_that_counts_what_was_written(tiny):
    truth = orjson.loads(tiny.truth_raw)

    assert truth["counts"]["booking"] == len(tiny.bookings)
    assert truth["counts"]["event"] == len(tiny.events)
    assert dt.date.fromisoformat(truth["window"]["end"]) - dt.date.fromisoformat(truth["window"]["start"]) \
        == dt.timedelta(days=truth["window"]["days"] - 1)


def test_staff_nips_pass_the_portals_own_layout_check(tiny):
    for nip in tiny.staff:
        assert nip_problem(nip) is None, nip


def test_account_refs_say_nothing_about_what_the_account_is(tiny):
    planted = set(tiny.bot_accounts) | {ref for ring in tiny.truth["collusion"]["rings"] for ref in ring["accounts"]}
    lengths = {len(ref) for ref in tiny.accounts}

    assert lengths == {18}
    assert planted and all(ref.startswith("AC") for ref in planted)
