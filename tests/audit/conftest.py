"""Fixtures for the audit trail: committed events, a second connection, and tampering.

Sealing only takes events whose transaction has finished, so tests of sealing and
verification commit their state (``transactional_db``) and tamper through raw SQL with the
triggers off, as a superuser could.
"""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection

from audit.models import Event
from tests import builders


def tamper(sql: str, params=()) -> None:
    """Run ``sql`` with every trigger off, committed, as a superuser bypassing the trail's guards."""
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("COMMIT")


def offices_with_events(count: int, *, prefix: str = "KANIM") -> list[Event]:
    """``count`` committed OFFICE_CREATE events, written by the real service, oldest first."""
    for number in range(count):
        builders.office(f"{prefix}-{number:03d}")
    return list(Event.objects.filter(action="OFFICE_CREATE", target_id__startswith=f"{prefix}-")
                .order_by("id"))


@pytest.fixture
def other_connection(transactional_db):
    """A second, independent database connection (another writer or another sealer)."""
    settings = connection.settings_dict
    conninfo = psycopg.conninfo.make_conninfo(
        dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None, port=settings["PORT"] or None)
    with psycopg.connect(conninfo) as other:
        yield other
        other.rollback()
