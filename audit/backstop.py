"""The backstop below the application: changes made with raw SQL are still recorded.

A guarded table carries a constraint trigger that fires at commit, once per changed row. If
the committing transaction wrote no application event (``source = 'app'``), the change did
not come through a service, and the trigger writes a ``DATA_CHANGED_OUTSIDE_APP`` event with
the row before and after, the database user and the client address. A service write, which
always records its own event in its transaction, adds nothing.

Other apps guard their tables from a migration::

    from audit.backstop import guard_sql, unguard_sql

    migrations.RunSQL(guard_sql("bookings_ballotentry", office_column="office_id",
                                bookkeeping=("updated_at",), personal=("nik", "name")),
                      unguard_sql("bookings_ballotentry"))

Guarded today: offices and postings (0005), bookings and slots (0009: capacity, places taken
and day closures live in the slot rows).

The migration must depend on ``("audit", "0013_backstop_finds_app_event_by_key")``, the
function's latest form.
"""

from __future__ import annotations

import re

IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

FUNCTION_SQL = r"""
CREATE OR REPLACE FUNCTION audit_backstop_record() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    before_row jsonb;
    after_row jsonb;
    any_row jsonb;
    -- Personal columns (TG_ARGV[3], comma-separated, e.g. nik) never enter the trail: the
    -- event says only whether each changed. (Split only once the change is known to need an
    -- event: a declaration's initial value is computed on every call.)
    personal text[];
    withheld jsonb;
    -- Where the transaction's last application event lies ('<at in UTC>|<id>'), noted by the
    -- content-hash trigger of audit_event (audit/migrations/0013).
    pointer text := current_setting('audit.app_event', true);
    pointer_at timestamptz;
    pointer_id bigint;
BEGIN
    -- A transaction that recorded an application event came through a service. Asked first,
    -- before any row image is built: that is the common case. The pointer only says where
    -- to look: the event itself must be there, of this transaction and from the application,
    -- so a forged setting passes nothing unseen (faking an application event at least leaves
    -- that event in the trail). Looked up by its primary key (id, at), the question touches
    -- one partition's index; asked by transaction alone it probed every month's.
    IF pointer ~ '^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\|\d{1,18}$' THEN
        pointer_at := split_part(pointer, '|', 1)::timestamp AT TIME ZONE 'UTC';
        pointer_id := split_part(pointer, '|', 2)::bigint;
        IF EXISTS (SELECT 1 FROM audit_event
                   WHERE id = pointer_id AND at = pointer_at
                     AND txid = txid_current() AND source = 'app') THEN
            RETURN NULL;
        END IF;
    END IF;
    IF EXISTS (SELECT 1 FROM audit_event WHERE txid = txid_current() AND source = 'app') THEN
        RETURN NULL;
    END IF;
    personal := string_to_array(coalesce(TG_ARGV[3], ''), ',');
    before_row := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    after_row := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    any_row := coalesce(after_row, before_row);
    -- An UPDATE that changed nothing but bookkeeping columns (TG_ARGV[2], comma-separated,
    -- e.g. updated_at) is a save of an unchanged row, not a change.
    IF TG_OP = 'UPDATE' AND before_row - string_to_array(coalesce(TG_ARGV[2], ''), ',')
                          = after_row - string_to_array(coalesce(TG_ARGV[2], ''), ',') THEN
        RETURN NULL;
    END IF;
    SELECT coalesce(jsonb_object_agg(c, jsonb_build_object(
               'changed', before_row -> c IS DISTINCT FROM after_row -> c)), '{}')
    INTO withheld FROM unnest(personal) AS c WHERE c <> '';
    INSERT INTO audit_event (at, actor_type, actor_id, office_id, action, target_type,
                             target_id, ip, details, source)
    VALUES (clock_timestamp(), 'system', left('db:' || session_user, 64),
            (any_row ->> TG_ARGV[0])::bigint, 'DATA_CHANGED_OUTSIDE_APP', left(TG_TABLE_NAME, 32),
            left(coalesce(any_row ->> TG_ARGV[1], ''), 64), inet_client_addr(),
            jsonb_build_object(
                'table', TG_TABLE_NAME, 'operation', TG_OP,
                'before', before_row - personal, 'after', after_row - personal,
                'withheld', withheld,
                'database_user', session_user::text,
                'application_name', current_setting('application_name', true)),
            'backstop');
    RETURN NULL;
END $$;
"""

DROP_FUNCTION_SQL = "DROP FUNCTION audit_backstop_record();"


def _identifier(name: str) -> str:
    if not IDENTIFIER.match(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return name


def guard_sql(table: str, *, office_column: str = "office_id", key_column: str = "id",
              bookkeeping: tuple[str, ...] = (), personal: tuple[str, ...] = ()) -> str:
    """SQL that makes ``table`` record every change made outside the application.

    ``office_column`` names the office a row belongs to (``id`` for the office table itself);
    ``key_column`` identifies the row in the event's ``target_id``; an UPDATE that changes
    only ``bookkeeping`` columns (such as ``updated_at``) is not reported; ``personal``
    columns (such as ``nik``) are left out of the row images, which say only whether each
    changed.
    """
    table = _identifier(table)
    ignored = ",".join(_identifier(column) for column in bookkeeping)
    withheld = ",".join(_identifier(column) for column in personal)
    return (
        f"CREATE CONSTRAINT TRIGGER audit_backstop AFTER INSERT OR UPDATE OR DELETE ON {table} "
        f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "
        f"audit_backstop_record('{_identifier(office_column)}', '{_identifier(key_column)}', "
        f"'{ignored}', '{withheld}');"
    )


def unguard_sql(table: str) -> str:
    """SQL that removes the guard ``guard_sql`` put on ``table``."""
    return f"DROP TRIGGER audit_backstop ON {_identifier(table)};"
