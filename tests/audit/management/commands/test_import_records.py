"""The import_records command: a thin adapter that reports every problem and fails when any record did."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from offices.models import Office
from tests.audit.records.samples import office, unit, write
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
