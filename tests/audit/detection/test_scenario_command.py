"""``generate_scenario``: the command writes records and truth, reports speed, and refuses bad input."""

import io

import orjson
import pytest
from django.core.management import CommandError, call_command


def _run(tmp_path, *args):
    out = io.StringIO()
    call_command("generate_scenario", *args, "--output", str(tmp_path / "s.jsonl"),
                 "--truth", str(tmp_path / "s.json"), "--no-progress", stdout=out)
    return out.getvalue()


def test_command_writes_records_and_truth_and_reports_records_per_second(tmp_path):
    report = _run(tmp_path, "--size", "tiny", "--seed", "7")

    lines = (tmp_path / "s.jsonl").read_bytes().splitlines()
    truth = orjson.loads((tmp_path / "s.json").read_bytes())
    assert truth["seed"] == 7 and truth["counts"]["booking"] == 3_000
    assert len(lines) == sum(truth["counts"].values())
    assert "records/s" in report and "3000 booking" in report


def test_bookings_start_days_and_offices_shape_a_custom_scenario(tmp_path):
    _run(tmp_path, "--bookings", "400", "--offices", "KANIM-DENPASAR,UKK-NABIRE", "--start", "2018-01-01",
         "--days", "5")

    records = [orjson.loads(line) for line in (tmp_path / "s.jsonl").read_bytes().splitlines()]
    bookings = [r for r in records if r["kind"] == "booking"]
    assert len(bookings) == 400
    assert {b["office"] for b in bookings} == {"KANIM-DENPASAR", "UKK-NABIRE"}
    assert {b["service_date"] for b in bookings} <= {f"2018-01-0{d}" for d in range(1, 6)}
    # Nabire's Kanim is written too (a unit refers to it) but serves nobody here.
    assert "KANIM-MIMIKA" in {r["code"] for r in records if r["kind"] == "office"}


def test_command_refuses_an_office_outside_the_sample_network(tmp_path):
    with pytest.raises(CommandError, match="KANIM-ATLANTIS"):
        _run(tmp_path, "--bookings", "100", "--offices", "KANIM-ATLANTIS", "--days", "5")


def test_command_refuses_more_bookings_than_the_quotas_take(tmp_path):
    with pytest.raises(CommandError, match="do not fit"):
        _run(tmp_path, "--bookings", "100000", "--offices", "UKK-NABIRE", "--days", "5")


def test_command_refuses_a_malformed_start_date(tmp_path):
    with pytest.raises(CommandError, match="--start"):
        _run(tmp_path, "--size", "tiny", "--start", "06/11/2017")
