"""Retention of applicants' data: finished bookings anonymised, idle accounts deleted.

**Bookings are anonymised, not deleted.** A booking in a final state (issued, rejected,
cancelled, no-show) whose service date and final step are more than
``BOOKING_RETENTION_DAYS`` behind keeps its row: office, service date and slot, service,
channel, status, and each counter step's time and officer stay, so the backlog, no-show and
throughput figures and the officers' baselines do not move. The applicant leaves it: NIK,
name, phone, e-mail, IP, device and imported details are blanked, a third party's NIK in
``collected_by`` too, the birth date is cut to its year (age statistics), and the link to
the account is removed. Ballot entries of ballots drawn for a day as old are treated alike
(id, rank and outcome stay, so the draw can still be checked). An active booking is never
touched, whatever its date.

**Accounts are deleted**, with their login: an account with no booking or ballot entry left
attached, neither created nor signed in for ``ACCOUNT_RETENTION_DAYS`` (``last_login``, which
a request with the account's API token also moves, once a day at most). Nothing is left to
count in an account once its bookings have gone, and its ref stays in the trail.

Rows another app keeps as evidence are named by ``Hold`` queries the caller passes
(detection passes the bookings and accounts its findings name): bookings know nothing of
detection, imports running one way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from audit.retention import (
    DEFAULT_BATCH,
    DEFAULT_MAX_BATCHES,
    RetentionResult,
    cutoff_moment,
    retention_batches,
    retention_cutoff,
)
from bookings.choices import ACTIVE_STATUSES, BookingStatus
from passport_portal.model_rows import fetch_row

#: The statuses a booking ends in; only these are ever anonymised.
FINAL_STATUSES = tuple(status.value for status in BookingStatus if status not in ACTIVE_STATUSES)
BOOKINGS = "bookings"
ACCOUNTS = "accounts"


@dataclass(frozen=True)
class Hold:
    """Rows kept whatever their age, named by an SQL query selecting their ``ref``.

    The query may read ``candidates`` (a CTE with the ``ref`` of the rows about to go) to look
    only at those: one probe per batch instead of one per row. ``sql`` comes from code, never
    from input; ``name`` says who holds.
    """

    name: str
    sql: str


def _held(holds: Sequence[Hold]) -> str:
    """The refs ``holds`` keep, as one query (none: an empty one)."""
    return " UNION ".join(f"({hold.sql})" for hold in holds) or "SELECT NULL::text AS ref WHERE false"


# A booking is finished when its service date and its last final step are both past the
# cut-off: a passport handed over weeks after the appointment counts from the hand-over.
# The statuses are code constants, written out so the plan sees them.
BOOKINGS_DUE = f"""
FROM bookings_booking b
WHERE b.anonymised_at IS NULL AND b.service_date < %(cutoff)s
  AND b.status IN ({", ".join(f"'{status}'" for status in FINAL_STATUSES)})
  AND coalesce(greatest(b.handed_over_at, b.rejected_at, b.cancelled_at, b.no_show_at),
               '-infinity') < %(cutoff_at)s
"""

# Each batch takes the next rows due after the last one examined (keyset), leaves those a hold
# keeps, and reports how many it examined and where it stopped: rows that stay are passed once
# per run, not once per batch.
ANONYMISE_BOOKINGS = """
WITH candidates AS (
    SELECT b.id, b.ref, b.service_date {due}
      AND (b.service_date, b.id) > (%(after_date)s, %(after_id)s)
    ORDER BY b.service_date, b.id LIMIT %(batch)s FOR UPDATE OF b SKIP LOCKED
), held AS ({held}), changed AS (
    UPDATE bookings_booking b
    SET nik = '', name = '', phone = '', email = '', ip = NULL, device = '', details = '{{}}'::jsonb,
        birth_date = make_date(extract(year FROM b.birth_date)::int, 1, 1),
        collected_by = CASE WHEN b.collected_by IN ('', 'applicant') THEN b.collected_by ELSE '' END,
        account_id = NULL, anonymised_at = %(now)s
    FROM candidates c WHERE b.id = c.id AND c.ref NOT IN (SELECT ref FROM held WHERE ref IS NOT NULL)
    RETURNING b.id
)
SELECT (SELECT count(*) FROM changed), (SELECT count(*) FROM candidates),
       last.service_date, last.id
FROM (SELECT NULL) AS one
LEFT JOIN LATERAL (SELECT service_date, id FROM candidates ORDER BY service_date DESC, id DESC LIMIT 1)
    AS last ON true
"""

COUNT_BOOKINGS = """
WITH candidates AS (SELECT b.ref {due}), held AS ({held})
SELECT count(*) FROM candidates WHERE ref NOT IN (SELECT ref FROM held WHERE ref IS NOT NULL)
"""

# Entries of a ballot that is done, for a day past the cut-off; a won entry waits for its
# booking (which a hold may keep).
ENTRIES_DUE = """
FROM bookings_ballotentry e JOIN bookings_ballot l ON l.id = e.ballot_id
WHERE e.anonymised_at IS NULL AND l.status = 'DONE' AND l.service_date < %(cutoff)s
  AND (e.booking_id IS NULL OR EXISTS (SELECT 1 FROM bookings_booking b
                                       WHERE b.id = e.booking_id AND b.anonymised_at IS NOT NULL))
"""

ANONYMISE_ENTRIES = """
WITH due AS (
    SELECT e.id {due} AND e.id > %(after_entry)s ORDER BY e.id LIMIT %(batch)s FOR UPDATE OF e SKIP LOCKED
)
UPDATE bookings_ballotentry e
SET nik = '', name = '', phone = '', email = '', ip = NULL, device = '',
    birth_date = make_date(extract(year FROM e.birth_date)::int, 1, 1),
    account_id = NULL, anonymised_at = %(now)s
FROM due WHERE e.id = due.id
RETURNING e.id
"""

# Staff and administrators never have an applicant account; the guard keeps a login that is
# both out of reach all the same.
ACCOUNTS_DUE = """
FROM bookings_account a LEFT JOIN auth_user u ON u.id = a.user_id
WHERE a.created_at < %(cutoff_at)s
  AND coalesce(u.last_login, '-infinity') < %(cutoff_at)s
  AND NOT coalesce(u.is_staff OR u.is_superuser, false)
  AND NOT EXISTS (SELECT 1 FROM offices_staffprofile s WHERE s.user_id = a.user_id)
  AND NOT EXISTS (SELECT 1 FROM bookings_booking b WHERE b.account_id = a.id)
  AND NOT EXISTS (SELECT 1 FROM bookings_ballotentry e WHERE e.account_id = a.id)
"""

DELETE_ACCOUNTS = """
WITH candidates AS (
    SELECT a.id, a.ref {due} AND a.id > %(after_id)s ORDER BY a.id LIMIT %(batch)s FOR UPDATE OF a SKIP LOCKED
), held AS ({held}), deleted AS (
    DELETE FROM bookings_account a USING candidates c
    WHERE a.id = c.id AND c.ref NOT IN (SELECT ref FROM held WHERE ref IS NOT NULL)
    RETURNING a.user_id
)
SELECT (SELECT count(*) FROM candidates), (SELECT max(id) FROM candidates),
       (SELECT count(*) FROM deleted), ARRAY(SELECT user_id FROM deleted WHERE user_id IS NOT NULL)
"""

COUNT_ACCOUNTS = """
WITH candidates AS (SELECT a.ref {due}), held AS ({held})
SELECT count(*) FROM candidates WHERE ref NOT IN (SELECT ref FROM held WHERE ref IS NOT NULL)
"""


def _rows(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def bookings_anonymise(*, days: int | None = None, holds: Sequence[Hold] = (),
                       today: dt.date | None = None, dry_run: bool = False, batch: int = DEFAULT_BATCH,
                       max_batches: int = DEFAULT_MAX_BATCHES,
                       on_batch: Callable[[int], None] | None = None) -> RetentionResult:
    """Anonymise finished bookings (and their ballots' entries) older than ``days`` (BOOKING_RETENTION_DAYS).

    Bookings ``holds`` name are kept. 0 keeps everything. A dry run counts what would be
    anonymised and writes nothing.
    """
    days = settings.BOOKING_RETENTION_DAYS if days is None else days
    if days <= 0:
        return RetentionResult(kind=BOOKINGS, cutoff=None, dry_run=dry_run, skipped="kept forever")
    cutoff = retention_cutoff(days, today)
    result = RetentionResult(kind=BOOKINGS, cutoff=cutoff, dry_run=dry_run)
    params = {"cutoff": cutoff, "cutoff_at": cutoff_moment(cutoff), "now": timezone.now()}
    held = _held(holds)
    if dry_run:
        # Entries whose won booking is anonymised in the same run are counted by the next one.
        result.counts = {"bookings": fetch_row(COUNT_BOOKINGS.format(due=BOOKINGS_DUE, held=held), params)[0],
                         "ballot_entries": fetch_row(f"SELECT count(*) {ENTRIES_DUE}", params)[0]}
        return result

    bookings_sql = ANONYMISE_BOOKINGS.format(due=BOOKINGS_DUE, held=held)
    entries_sql = ANONYMISE_ENTRIES.format(due=ENTRIES_DUE)
    after = {"after_date": dt.date.min, "after_id": 0, "after_entry": 0}

    def step(size: int) -> tuple[dict[str, int], bool]:
        taken = {**params, **after, "batch": size}
        changed, examined, last_date, last_id = fetch_row(bookings_sql, taken)
        entries = _rows(entries_sql, taken)
        if examined:
            after["after_date"], after["after_id"] = last_date, last_id
        if entries:
            after["after_entry"] = max(entries)[0]
        return {"bookings": changed, "ballot_entries": len(entries)}, examined == size or len(entries) == size

    return retention_batches(result=result, step=step, batch=batch, max_batches=max_batches,
                             on_batch=on_batch)


def accounts_delete(*, days: int | None = None, holds: Sequence[Hold] = (),
                    today: dt.date | None = None, dry_run: bool = False, batch: int = DEFAULT_BATCH,
                    max_batches: int = DEFAULT_MAX_BATCHES,
                    on_batch: Callable[[int], None] | None = None) -> RetentionResult:
    """Delete accounts with nothing left attached and no sign-in for ``days`` (ACCOUNT_RETENTION_DAYS).

    Accounts ``holds`` name are kept. The account's login goes with it (Django deletes what
    hangs on the user: tokens, second factors, group memberships), and so do the lockout's
    records of its sign-ins. 0 keeps everything.
    """
    days = settings.ACCOUNT_RETENTION_DAYS if days is None else days
    if days <= 0:
        return RetentionResult(kind=ACCOUNTS, cutoff=None, dry_run=dry_run, skipped="kept forever")
    cutoff = retention_cutoff(days, today)
    result = RetentionResult(kind=ACCOUNTS, cutoff=cutoff, dry_run=dry_run)
    params = {"cutoff_at": cutoff_moment(cutoff)}
    held = _held(holds)
    if dry_run:
        result.counts = {"accounts": fetch_row(COUNT_ACCOUNTS.format(due=ACCOUNTS_DUE, held=held), params)[0]}
        return result

    delete_sql = DELETE_ACCOUNTS.format(due=ACCOUNTS_DUE, held=held)
    after = {"after_id": 0}

    def step(size: int) -> tuple[dict[str, int], bool]:
        examined, last_id, deleted, logins = fetch_row(delete_sql, {**params, **after, "batch": size})
        if examined:
            after["after_id"] = last_id
        sign_ins = 0
        if logins:
            users = get_user_model().objects.filter(pk__in=logins)
            names = list(users.values_list(get_user_model().USERNAME_FIELD, flat=True))
            users.delete()
            # The lockout's own records of sign-ins (name, address, browser) go with the login.
            for model in (AccessLog, AccessAttempt, AccessFailureLog):
                sign_ins += model.objects.filter(username__in=names).delete()[1].get(model._meta.label, 0)
        return {"accounts": deleted, "logins": len(logins), "sign_in_records": sign_ins}, examined == size

    return retention_batches(result=result, step=step, batch=batch, max_batches=max_batches,
                             on_batch=on_batch)
