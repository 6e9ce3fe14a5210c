"""Monthly partitions of the trail: made ahead of time, archived after the retention period.

Monthly ranges on ``at`` keep every month's events together, so an index stays the size of
a month, a time-bounded search touches only its months, and a month leaves the live table by
detaching one partition instead of deleting millions of rows (which the table refuses anyway).
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from offices.access import SystemActor

from .actions import Action
from .models import PartitionArchive
from .sealing import chain_head
from .trail import actor_for_user, event_record
from .verification import verify_trail

logger = logging.getLogger(__name__)
PARTITION_NAME = re.compile(r"^audit_event_y(\d{4})m(\d{2})$")
RETENTION_ACTOR = SystemActor("audit_retention")


def _month_start(day: dt.date, months_back: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def partitions_ensure(*, ahead: int | None = None, today: dt.date | None = None) -> int:
    """Create this month's partition and the next ``ahead`` months'; returns how many were new."""
    ahead = settings.AUDIT_PARTITIONS_AHEAD if ahead is None else ahead
    today = today or timezone.now().date()
    last = _month_start(today, -ahead)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT audit_event_ensure_partitions(%s, %s)",
                       [_month_start(today), last])
        return cursor.fetchone()[0]


def live_partitions() -> list[tuple[str, dt.date]]:
    """The monthly partitions attached to the trail, oldest first (the default one aside)."""
    with connection.cursor() as cursor:
        cursor.execute("""SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                          WHERE i.inhparent = 'audit_event'::regclass""")
        names = [row[0] for row in cursor.fetchall()]
    months = []
    for name in names:
        match = PARTITION_NAME.match(name)
        if match:
            months.append((name, dt.date(int(match[1]), int(match[2]), 1)))
    return sorted(months, key=lambda item: item[1])


def partitions_retire(*, months: int | None = None, today: dt.date | None = None) -> list[str]:
    """Archive the partitions of months older than ``months`` (AUDIT_RETENTION_MONTHS).

    A partition leaves only when all its events are sealed and the whole trail verifies;
    otherwise nothing moves and the reason is logged. Returns the archived partitions' names.
    """
    months = settings.AUDIT_RETENTION_MONTHS if months is None else months
    if months <= 0:
        return []
    cutoff = _month_start(today or timezone.now().date(), months)
    due = [(name, month) for name, month in live_partitions() if month < cutoff]
    if not due:
        return []
    report = verify_trail()
    if not report.ok:
        logger.error("audit retention postponed: the trail does not verify (%s problems)",
                     len(report.problems))
        return []
    head = chain_head()
    archived = []
    for name, month in due:
        if _unsealed_events(name, head):
            logger.warning("audit retention: %s still has unsealed events; kept", name)
            continue
        _archive(name, month, head.number if head else 0)
        archived.append(name)
    return archived


def _unsealed_events(name: str, head) -> int:
    cursor_values = (head.last_txid, head.last_event_id) if head else (-1, -1)
    with connection.cursor() as cursor:
        # Partition names come from the catalog and match PARTITION_NAME: no outside input.
        cursor.execute(f'SELECT count(*) FROM "{name}" WHERE (txid, id) > (%s, %s)',  # noqa: S608
                       cursor_values)
        return cursor.fetchone()[0]


def _archive(name: str, month: dt.date, sealed_through: int) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{name}"')  # noqa: S608
        count = cursor.fetchone()[0]
        cursor.execute(f'ALTER TABLE audit_event DETACH PARTITION "{name}"')
        cursor.execute(f'ALTER TABLE "{name}" SET SCHEMA audit_archive')
        # Detaching drops the row triggers inherited from the trail: the archive keeps its own.
        cursor.execute(
            f'CREATE OR REPLACE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE '
            f'ON audit_archive."{name}" FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()')
        PartitionArchive.objects.create(name=name, month=month, event_count=count,
                                        sealed_through_block=sealed_through,
                                        archived_at=timezone.now())
        event_record(actor=actor_for_user(RETENTION_ACTOR), action=Action.AUDIT_PARTITION_ARCHIVE,
                     target_type="audit_partition", target_id=name,
                     details={"month": month.isoformat(), "events": count,
                              "sealed_through_block": sealed_through})
    logger.info("audit retention: archived %s (%s events)", name, count)
