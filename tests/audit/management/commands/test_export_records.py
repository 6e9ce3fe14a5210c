"""The export_records command: the format on standard output or in a file, with its filters."""

import io

import orjson
import pytest
from django.core.management import CommandError, call_command

from tests.audit.records.samples import event, office, staff, write


@pytest.fixture
def imported(db, tmp_path, run_import):
    run_import(write(tmp_path / "in.jsonl", office(), office("KANIM-BDG"), staff(),
                     event(at="2017-11-03T07:55:00+07:00"), event(at="2017-12-03T07:55:00+07:00")))


def test_records_go_to_standard_output(imported):
    out = io.StringIO()
    call_command("export_records", "--kinds", "office", stdout=out)
    assert [orjson.loads(line)["code"] for line in out.getvalue().splitlines()] == ["KANIM-BDG", "KANIM-JKS"]


def test_records_go_to_a_file_with_output(imported, tmp_path):
    path = tmp_path / "out.jsonl"
    call_command("export_records", "--kinds", "event", "--since", "2017-12-01", "--until",
                 "2018-01-01T00:00:00+07:00", "--output", str(path))
    [record] = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    assert record["at"] == "2017-12-03T07:55:00+07:00"


def test_an_office_narrows_the_export(imported):
    out = io.StringIO()
    call_command("export_records", "--kinds", "office", "staff", "--office", "KANIM-JKS", stdout=out)
    assert [orjson.loads(line)["kind"] for line in out.getvalue().splitlines()] == ["office", "staff"]


def test_a_time_without_an_offset_is_refused(imported):
    with pytest.raises(CommandError, match="offset"):
        call_command("export_records", "--since", "2017-12-01T00:00:00", stdout=io.StringIO())
