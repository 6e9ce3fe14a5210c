"""Migrations apply from zero and reverse cleanly, on a database of their own.

Reversing the audit app drops the trail with its append-only triggers (dropping a table is not
one of the refused statements): that is the documented reverse path (docs/operations.md), for
development and scratch databases only, after a dump.
"""

import pytest

from .scratch_db import connect, manage, scratch_database

PROJECT_APPS = ["detection", "bookings", "audit", "offices"]  # reversed in dependency order


def _project_tables(database: str) -> set[str]:
    with connect(database) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            " AND split_part(tablename, '_', 1) = ANY(%s)", [PROJECT_APPS]).fetchall()
    return {name for (name,) in rows}


def _trigger_functions(database: str) -> set[str]:
    """The project's trigger functions (django-pgtrigger's and the audit trail's own)."""
    with connect(database) as conn:
        rows = conn.execute(
            "SELECT DISTINCT p.proname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid"
            " WHERE NOT t.tgisinternal").fetchall()
    return {name for (name,) in rows}


@pytest.mark.django_db
def test_migrations_apply_from_zero_reverse_and_apply_again():
    with scratch_database("migrations") as database:
        manage(database, "migrate", "--no-input")
        tables = _project_tables(database)
        triggers = _trigger_functions(database)
        assert {"offices_office", "audit_event", "bookings_booking", "detection_finding"} <= tables
        assert triggers, "the append-only and status-path triggers are installed"
        # With data: events under the append-only triggers, and a sealed block.
        manage(database, "seed_network")
        manage(database, "seal_audit")
        for app in PROJECT_APPS:
            manage(database, "migrate", app, "zero", "--no-input")
        assert _project_tables(database) == set()
        assert _trigger_functions(database) == set()
        manage(database, "migrate", "--no-input")
        assert _project_tables(database) == tables
        assert _trigger_functions(database) == triggers
        manage(database, "verify_audit")
