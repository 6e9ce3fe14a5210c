"""The import_records command: a thin adapter that reports every problem and fails when any record did."""

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from bookings.models import WeeklyFigures
from bookings.selectors_network import weekly_trends
from bookings.weekly_figures import weekly_figures_refresh
from offices.models import Office
from tests.audit.records.samples import account, booking, office, unit, write
from tests.passport_portal.scratch_db import database_url

ROOT = Path(__file__).resolve().parents[4]


def run(*args, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_records", *args, "--no-progress", stdout=out, stderr=err)
    except CommandError as exc:
        return exc, out.getvalue(), err.getvalue()
    return None, out.getvalue(), err.getvalue()


def test_the_report_counts_each_kind_and_outcome(db, tmp_path):
    error, out, _err = run(write(tmp_path / "a.jsonl", office(), unit(), office("X", type="?")))
    header, row = out.splitlines()[:2]
    assert header.split() == ["kind", "created", "unchanged", "updated", "failed"]
    assert row.split() == ["office", "2", "0", "0", "1"]
    assert error is not None


def test_every_error_names_file_line_and_key_and_the_exit_status_is_one(db, tmp_path):
    path = write(tmp_path / "a.jsonl", office(), office("B", timezone="Mars/Olympus"), lines=("{oops",))
    error, _out, err = run(path)
    assert error is not None and error.returncode == 1
    assert f"{path}:2: office [timezone]" in err
    assert f"{path}:3: [(line)]" in err
    assert Office.objects.filter(code="KANIM-JKS").exists()


def test_warnings_alone_do_not_fail_the_run(db, tmp_path):
    error, _out, err = run(write(tmp_path / "a.jsonl", office(), {"kind": "finding"}))
    assert error is None
    assert "warning:" in err


def test_a_missing_file_is_a_command_error_before_anything_is_written(db, tmp_path):
    error, _out, _err = run(write(tmp_path / "a.jsonl", office()), str(tmp_path / "missing.jsonl"))
    assert error is not None and "no such file" in str(error)
    assert not Office.objects.exists()


def test_standard_input_is_read_for_a_dash(db, tmp_path, monkeypatch):
    data = (Path(write(tmp_path / "a.jsonl", office()))).read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    error, out, _err = run("-")
    assert error is None
    assert Office.objects.filter(code="KANIM-JKS").exists()
    assert "<stdin>" in out


@pytest.mark.django_db(transaction=True)
def test_the_process_exits_non_zero_when_a_record_fails(tmp_path):
    data = Path(write(tmp_path / "a.jsonl", office(), office("B", type="KANWIL"))).read_bytes()
    env = {**os.environ, "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
           "DJANGO_SETTINGS_MODULE": "passport_portal.settings.test"}
    result = subprocess.run([sys.executable, "manage.py", "import_records", "-", "--no-progress"], cwd=ROOT,
                            env=env, input=data, capture_output=True, timeout=120)
    assert result.returncode == 1
    assert b"<stdin>:2: office [type]" in result.stderr
    assert Office.objects.filter(code="KANIM-JKS").exists()


def test_imported_bookings_are_in_the_weekly_figures_at_once(db, tmp_path):
    # The demo imports its bookings after the scheduled refresh may already have summarised the
    # weeks without them: the ended weeks would be read, wrong, from the table until the next one.
    assert run(write(tmp_path / "a.jsonl", office()))[0] is None
    assert not WeeklyFigures.objects.exists()  # no booking came in: nothing to rebuild
    weekly_figures_refresh()
    kanim = Office.objects.filter(code="KANIM-JKS")
    today = kanim.get().local_date()
    last_monday = today - dt.timedelta(days=today.weekday() + 7)
    made = f"{last_monday + dt.timedelta(days=4)}T10:05:00+07:00"
    records = (account(created_at=made), booking(created_at=made, service_date=str(today + dt.timedelta(days=3))))
    error, out, _err = run(write(tmp_path / "b.jsonl", *records))
    assert error is None
    assert "weekly figures of the network's trends rebuilt" in out
    assert WeeklyFigures.objects.get(office__code="KANIM-JKS", monday=last_monday).made == 1
    week = next(w for w in weekly_trends(kanim) if w.monday == last_monday)
    assert (week.bookings, week.as_of is not None) == (1, True)
