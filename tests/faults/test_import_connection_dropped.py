"""The database connection dropped in the middle of ``import_records``: running it again finishes
the import, with every record once and none twice."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import orjson
from django.db import connection

from audit.models import Event
from audit.records import records_import
from bookings.models import Account, Booking
from offices.models import Office, StaffProfile
from tests.builders import SYSTEM

from .processes import ROOT, wait_until

APPLICATION = "faults-import"
CONNECTION_CUT = ("terminating connection due to administrator command",
                  "server closed the connection unexpectedly")
TABLES = {"office": Office, "staff": StaffProfile, "account": Account, "booking": Booking}


def _import(commands, path: str) -> subprocess.Popen:
    """``manage.py import_records`` in a process of its own, its connections named for the test."""
    env = commands.env()
    env["DATABASE_URL"] += f"?application_name={APPLICATION}"
    return subprocess.Popen([sys.executable, "manage.py", "import_records", path, "--batch-size", "250",
                             "--no-progress"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _imported_events() -> int:
    return Event.objects.filter(source="import").count()


def _in_database() -> Counter:
    counts = Counter({kind: model.objects.count() for kind, model in TABLES.items()})
    counts["event"] = _imported_events()
    return counts


def test_an_import_cut_off_from_its_database_finishes_on_a_second_run_with_no_duplicate(
        transactional_db, tiny_file, tiny_records, commands):
    in_file = Counter(orjson.loads(line)["kind"] for line in tiny_records.splitlines() if line.strip())
    first = _import(commands, tiny_file)
    wait_until(lambda: _imported_events() > 0 or first.poll() is not None, timeout=120,
               what="the import's first events to commit")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
                       [APPLICATION])
        assert cursor.fetchall(), "the import ended before its connection could be dropped"
    _out, err = first.communicate(timeout=120)
    # libpq words the same end two ways: the server's own notice when the client was reading,
    # or a closed socket when it was sending (a COPY in flight).
    assert first.returncode != 0
    assert any(cut in err for cut in CONNECTION_CUT), err[-2000:]
    halfway = _in_database()
    assert 0 < halfway["event"] < in_file["event"]

    second = _import(commands, tiny_file)
    out, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    assert "0 error(s)" in out
    assert _in_database() == in_file  # every record of the file once

    again = records_import(actor=SYSTEM, paths=[tiny_file], progress=False)
    assert all(set(counts) == {"unchanged"} for counts in again.counts.values())
