"""Statements on every request's path, parsed and planned once per connection.

Django sends each query as text with its parameters merged in (a client-side cursor), so the
server parses and plans it on every call. For most queries that is nothing; for an INSERT into
the partitioned, triggered audit table it was most of the statement's cost (0.35 against
0.14 ms a row on 2 cores), paid by every audited action. ``prepared_cursor`` gives a cursor on
the same connection, in the same transaction, that binds parameters on the server and runs
each statement as a prepared statement, kept by psycopg per connection.

Django leaves psycopg's automatic preparing off (``prepare_threshold``); only the statements
asked for here are prepared, and ``DATABASE_PREPARED_STATEMENTS=false`` turns them back into
plain queries for a connection pooler that cannot keep prepared statements (PgBouncer in
transaction mode before 1.21). Queries still go through Django's cursor wrapper: errors become
Django's and ``execute_wrapper`` sees them. While queries are logged (``DEBUG``, or a test
capturing them) they run as plain queries: psycopg keeps no text of a prepared execution for
the log to show.
"""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.postgresql.base import ServerBindingCursor

# psycopg prepares nothing while a connection's threshold is None (Django's choice); with a
# threshold this high it prepares only what a cursor asks for, never by counting. It is set
# for these statements only: while it is set psycopg also counts every other query, and clears
# every prepared statement when one of them is a ROLLBACK TO SAVEPOINT.
NEVER_BY_COUNT = 2**31


class _PreparingCursor(ServerBindingCursor):
    def execute(self, query, params=None, *, prepare=True, binary=None):
        connection = self.connection
        threshold, connection.prepare_threshold = connection.prepare_threshold, NEVER_BY_COUNT
        try:
            return super().execute(query, params, prepare=prepare, binary=binary)
        finally:
            connection.prepare_threshold = threshold


def prepared_cursor(using: str = DEFAULT_DB_ALIAS):
    """A Django cursor whose statements run prepared, on ``using``'s current connection.

    Write the SQL with ``%s`` placeholders and casts where a parameter's type is not plain
    (``%s::jsonb``): the server infers each parameter's type once, when it prepares.
    """
    connection = connections[using]
    if not settings.DATABASE_PREPARED_STATEMENTS or connection.queries_logged:
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        cursor = _PreparingCursor(connection.connection)
    return connection.make_cursor(cursor)
