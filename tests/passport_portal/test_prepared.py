"""Prepared statements on the hot path: planned once per connection, in the caller's transaction."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.actions import Action
from audit.models import Event
from audit.trail import Actor, event_record
from passport_portal.model_rows import fetch_row
from passport_portal.prepared import prepared_cursor

PROBE = "SELECT %s::int + 1"


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_statement_is_prepared_once_and_reused(db):
    with prepared_cursor() as cursor:
        cursor.execute(PROBE, [1])
        assert cursor.fetchone() == (2,)
    with prepared_cursor() as cursor:
        cursor.execute(PROBE, [41])
        assert cursor.fetchone() == (42,)
    statements = [s for s in prepared_statements() if "::int + 1" in s]
    assert len(statements) == 1


def test_fetch_row_prepares_only_when_asked(db):
    assert fetch_row("SELECT %s::text || 'x'", ["a"]) == ("ax",)
    assert not [s for s in prepared_statements() if "|| 'x'" in s]
    assert fetch_row("SELECT %s::text || 'y'", ["a"], prepared=True) == ("ay",)
    assert [s for s in prepared_statements() if "|| 'y'" in s]


def test_prepared_writes_belong_to_the_callers_transaction(db):
    before = Event.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        event_record(actor=Actor.system("test"), action=Action.STAFF_LOGIN)
        assert Event.objects.count() == before + 1  # seen by the ORM on the same connection
        raise RuntimeError("roll back")
    assert Event.objects.count() == before


def test_errors_are_djangos(db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE probe (id int PRIMARY KEY)")
    with prepared_cursor() as cursor:
        cursor.execute("INSERT INTO probe VALUES (%s)", [1])
    assert [s for s in prepared_statements() if "INSERT INTO probe" in s]
    with pytest.raises(IntegrityError), transaction.atomic(), prepared_cursor() as cursor:
        cursor.execute("INSERT INTO probe VALUES (%s)", [1])


def test_logged_queries_run_plain_so_the_log_shows_them(db):
    with CaptureQueriesContext(connection) as queries, prepared_cursor() as cursor:
        cursor.execute("SELECT %s::int - 1", [8])
        assert cursor.fetchone() == (7,)
    assert [q["sql"] for q in queries.captured_queries] == ["SELECT 8::int - 1"]
    assert not [s for s in prepared_statements() if "::int - 1" in s]


def test_the_switch_turns_them_into_plain_queries(db, settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    with prepared_cursor() as cursor:
        cursor.execute("SELECT %s::int * 3", [2])
        assert cursor.fetchone() == (6,)
    assert not [s for s in prepared_statements() if "::int * 3" in s]


def test_the_writer_returns_what_the_database_assigned(db):
    with transaction.atomic():
        recorded = event_record(actor=Actor.system("test"), action=Action.STAFF_LOGIN)
    row = Event.objects.get(pk=recorded.pk)
    assert (row.recorded_at, row.txid) == (recorded.recorded_at, recorded.txid)
