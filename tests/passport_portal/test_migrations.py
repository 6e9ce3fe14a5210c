"""Migrations apply from zero and reverse cleanly, on a database of their own."""

import pytest

from .scratch_db import connect, manage, scratch_database

PROJECT_APPS = ["bookings", "audit", "offices"]  # reversed in dependency order


def _project_tables(database: str) -> set[str]:
    with connect(database) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            " AND split_part(tablename, '_', 1) = ANY(%s)", [PROJECT_APPS]).fetchall()
    return {name for (name,) in rows}


@pytest.mark.django_db
def test_migrations_apply_from_zero_reverse_and_apply_again():
    with scratch_database("migrations") as database:
        manage(database, "migrate", "--no-input")
        tables = _project_tables(database)
        assert {"offices_office", "audit_event"} <= tables
        for app in PROJECT_APPS:
            manage(database, "migrate", app, "zero", "--no-input")
        assert _project_tables(database) == set()
        manage(database, "migrate", "--no-input")
        assert _project_tables(database) == tables
