"""Set-based SQL helpers: many rows in one statement, one array parameter per column."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection


def unnest(columns: Sequence[tuple[str, str]], rows: Sequence[Sequence], *,
           ordinality: bool = False) -> tuple[str, list]:
    """``unnest(%s::type[], …) AS v(name, …)`` and its parameters, one array per column.

    PostgreSQL expands the arrays into rows, so a batch of any size is one statement with a
    fixed number of parameters, and one plan. With ``ordinality`` the rows also carry ``v.ord``,
    their place in ``rows``, for statements that must keep the input's order (joins do not).
    """
    arrays = [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in columns]
    casts = ", ".join(f"%s::{pg_type}[]" for _name, pg_type in columns)
    names = ", ".join(name for name, _pg_type in columns)
    if ordinality:
        return f"unnest({casts}) WITH ORDINALITY AS v({names}, ord)", arrays
    return f"unnest({casts}) AS v({names})", arrays


def fetch(sql: str, params: Sequence = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def database_message(exc: Exception) -> str:
    """Why the database refused a record: constraint and first line only (no values)."""
    cause = exc.__cause__ or exc
    diag = getattr(cause, "diag", None)
    constraint = getattr(diag, "constraint_name", None)
    first_line = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
    return f"refused by the database ({constraint}): {first_line}" if constraint else \
        f"refused by the database: {first_line}"
