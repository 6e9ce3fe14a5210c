"""Fixtures for fault tests: a private broker, real worker processes, scenario data and lock holders.

Every fault test is transactional: its data is committed, so the worker processes (separate
programs on the same test database) see it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io

import psycopg
import pytest
from django.db import connection

from audit.detection.scenario import SIZES, scenario_generate
from audit.records import records_import
from tests.audit.detection.history import MONDAY, History
from tests.builders import SYSTEM
from tests.passport_portal.scratch_db import database_url

from .processes import PrivateRedis, Processes

#: Every scenario event lies in the window of a full run; retention, which may not be shorter than
#: that window, keeps everything (0) in these processes.
FULL_WINDOW_DAYS = "36500"
KEEP_EVERYTHING = dict.fromkeys(("BOOKING_RETENTION_DAYS", "ACCOUNT_RETENTION_DAYS", "FINDING_RETENTION_DAYS"), "0")


@pytest.fixture
def redis(tmp_path):
    broker = PrivateRedis(tmp_path).start()
    yield broker
    broker.kill()


@pytest.fixture
def processes(redis, transactional_db, tmp_path):
    """Workers and beats on the private broker; killed before the test database is flushed."""
    started = Processes(tmp_path, redis.url, DETECTION_FULL_WINDOW_DAYS=FULL_WINDOW_DAYS, **KEEP_EVERYTHING)
    yield started
    started.stop_all()


@pytest.fixture
def commands(transactional_db, tmp_path):
    """Programs on the test database that need no broker (an import, say)."""
    return Processes(tmp_path, "")


@pytest.fixture(scope="session")
def tiny_records() -> bytes:
    records, truth = io.BytesIO(), io.BytesIO()
    scenario_generate(SIZES["tiny"], output=records, truth=truth)
    return records.getvalue()


@pytest.fixture
def tiny_file(tmp_path, tiny_records) -> str:
    path = tmp_path / "tiny.jsonl"
    path.write_bytes(tiny_records)
    return str(path)


@pytest.fixture
def scenario(transactional_db, tiny_file, settings):
    """The tiny scenario (six offices in three regions, rings, bots, fictitious applications) loaded."""
    settings.DETECTION_FULL_WINDOW_DAYS = int(FULL_WINDOW_DAYS)
    report = records_import(actor=SYSTEM, paths=[tiny_file], progress=False)
    assert report.errors == 0
    return report


def database_dsn() -> str:
    return database_url(connection.settings_dict["NAME"]).replace("postgres://", "postgresql://", 1)


@pytest.fixture
def side_connection(transactional_db):
    """``side_connection()`` opens another connection to the test database, closed at teardown."""
    opened: list[psycopg.Connection] = []

    def open_one(*, autocommit: bool = True) -> psycopg.Connection:
        conn = psycopg.connect(database_dsn(), autocommit=autocommit)
        opened.append(conn)
        return conn

    yield open_one
    for conn in opened:
        with contextlib.suppress(psycopg.Error):
            conn.close()


class FindingsLock:
    """Holds ``detection_finding`` against writers, so a detection part stops where it stores findings.

    Readers go on (SHARE ROW EXCLUSIVE lets SELECT through); the first INSERT of a part waits,
    inside the part's transaction, with the run's row locked: the middle of a part, deterministically.
    """

    def __init__(self, conn: psycopg.Connection, watcher: psycopg.Connection):
        self.conn = conn
        self.watcher = watcher

    def take(self) -> None:
        """Take the lock; waits for a writer that holds the table to commit first."""
        self.conn.execute("BEGIN")
        self.conn.execute("LOCK TABLE detection_finding IN SHARE ROW EXCLUSIVE MODE")

    def release(self) -> None:
        self.conn.execute("COMMIT")

    def waiting(self, table: str = "detection_finding") -> list[int]:
        """Backends of the workers waiting for a lock in a statement on ``table``."""
        rows = self.watcher.execute(
            """SELECT pid FROM pg_stat_activity
               WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> %s
                 AND query ILIKE %s
               ORDER BY backend_start""", [self.conn.info.backend_pid, f"%{table}%"]).fetchall()
        return [pid for (pid,) in rows]

    def terminate(self, pid: int) -> None:
        """End a backend whose client was killed: what PostgreSQL does once it notices the dead socket."""
        self.watcher.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.fixture
def findings_lock(side_connection):
    lock = FindingsLock(side_connection(), side_connection())
    yield lock
    with contextlib.suppress(psycopg.Error):
        lock.conn.execute("ROLLBACK")


@pytest.fixture
def bots_in_two_regions(transactional_db, settings) -> list[str]:
    """A bot account booking at a Kanim in Jakarta and another in Bali: a run of three parts."""
    settings.DETECTION_FULL_WINDOW_DAYS = int(FULL_WINDOW_DAYS)
    return [plant_bot("KANIM-FAULT-JKT", "DKI Jakarta"), plant_bot("KANIM-FAULT-BALI", "Bali")]


def plant_bot(office: str, region: str, *, day: dt.date = MONDAY) -> str:
    """Import a bot's morning at ``office``: fifteen bookings in fifteen minutes, all no-shows."""
    history = History(office=office, region=region)
    bot = history.account()
    created = dt.datetime.combine(day - dt.timedelta(days=5), dt.time(7, 0), tzinfo=dt.UTC)
    for minute in range(15):
        ref = history.booking(bot, day, status="NO_SHOW",
                              created=(created + dt.timedelta(minutes=minute)).isoformat())
    history.serve(ref, day, history.staff()[0])
    history.load()
    return bot
