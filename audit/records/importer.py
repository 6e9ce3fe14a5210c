"""Import of records-v1 files: stream, validate, load in batches, report.

Each batch is one transaction: its records are grouped by kind and loaded in reference
order (offices, staff, accounts, bookings, events), each group in a few set-based
statements. When a group's bulk write fails in the database, the group is replayed record by
record under savepoints, so the one bad record is refused and the good ones are kept. A run
stopped half-way (a dropped connection, say) is finished by running it again: every record
has an identity (code, NIP, ref, or an event's fingerprint) and what is already there is
left as it is.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, InternalError, connection, connections, transaction
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.trail import Actor, actor_for_user, event_record
from offices.access import Capability, require
from passport_portal.request_meta import NO_REQUEST, RequestMeta

from .batch import Item, Known, LoadResult
from .kinds import account, booking, event, office, staff
from .problems import ImportReport, Problem, RecordError
from .reader import read_lines, source_name
from .sql import database_message, fetch

DEFAULT_BATCH_SIZE = 20_000
#: Loaders in reference order: a kind only refers to kinds before it.
LOADERS = {"office": office, "staff": staff, "account": account, "booking": booking, "event": event}
WRITTEN_ELSEWHERE = frozenset({"finding"})
# Kinds whose tables the backstop guards (audit/backstop.py): a batch of them records its event.
GUARDED_KINDS = ("office", "staff", "booking")
#: The tables each kind writes, whose planner statistics an import refreshes (``_analyse``).
KIND_TABLES = {"office": ("offices_office",), "staff": ("offices_staffprofile", "offices_assignment"),
               "account": ("bookings_account",), "booking": ("bookings_booking",), "event": ("audit_event",)}
#: Rows written to a kind's tables from which its statistics are refreshed at the end of the run.
ANALYSE_FROM_ROWS = 1_000
UNREADABLE = "(unreadable)"


def records_import(*, actor, paths: list[str], update: bool = False,
                   batch_size: int = DEFAULT_BATCH_SIZE, stdin: BinaryIO | None = None,
                   progress: bool | None = None, concurrent: bool = False,
                   meta: RequestMeta = NO_REQUEST) -> ImportReport:
    """Import records-v1 files (``-`` is standard input) and return what happened.

    Good records are written, bad ones are reported with file, line and key and not written
    at all. ``update`` lets a changed record replace the one with its identifier. The run
    itself is recorded in the audit trail at the end, in a transaction of its own.
    ``concurrent`` writes events from a second connection in a worker thread (see ``_Copier``):
    faster on large files; everything else is the same.
    """
    require(actor, Capability.DIRECT, None)
    if not paths:
        raise ValidationError({"paths": [_("Name at least one file, or - for standard input.")]})
    if batch_size < 1:
        raise ValidationError({"batch_size": [_("The batch size must be at least 1.")]})
    report = ImportReport(sources=[source_name(path) for path in paths])
    run = _Run(report, update=update, concurrent=concurrent)
    batch: list[Item] = []
    # A batch holds tens of thousands of records, none in a reference cycle: the cyclic
    # collector would walk them all again and again for nothing (a sixth of the run's time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for seq, line in enumerate(read_lines(paths, stdin=stdin, progress=progress), start=1):
            item = run.parse(line, seq)
            if item is not None:
                batch.append(item)
                if len(batch) >= batch_size:
                    run.submit(batch)
                    batch = []
        run.submit(batch)
        run.drain()
    finally:
        run.copier.close()
        if collecting:
            gc.enable()
    _analyse(report)
    with transaction.atomic():
        event_record(
            actor=actor_for_user(actor), action=Action.RECORDS_IMPORT, target_type="records",
            details={"files": report.sources, "update": update, "counts": report.summary(),
                     "errors": report.errors, "warnings": report.warnings},
            meta=meta,
        )
    return report


def _analyse(report: ImportReport) -> None:
    """Refresh the planner's statistics of the tables a large import wrote to.

    Left to autovacuum (when it runs at all), a freshly loaded table keeps the statistics of
    an empty one for a while, and the planner then takes the next detection run's joins over
    hundreds of thousands of rows for joins over a handful: nested loops, minutes instead of
    seconds. ANALYZE reads a fixed sample, a few seconds at most whatever the table's size.
    """
    tables = [table for kind, counts in sorted(report.counts.items())
              if counts["created"] + counts["updated"] >= ANALYSE_FROM_ROWS
              for table in KIND_TABLES.get(kind, ())]
    if tables:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(tables)}")  # names from KIND_TABLES


class _Run:
    """The state of one import run: the report, and which months of the trail exist."""

    def __init__(self, report: ImportReport, *, update: bool, concurrent: bool = False):
        self.report = report
        self.copier = _Copier(self, concurrent=concurrent)
        self.update = update
        self.months_ready: set[tuple[int, int]] = set()
        # Problems found while reading the batch being gathered, with their place in the run:
        # reported with the batch's own, in file order, once the batch has committed.
        self.found: list[tuple[int, Problem]] = []

    def parse(self, line, seq: int) -> Item | None:
        """A structurally valid ``Item``, or None after reporting why the line is not one."""
        self.seq = seq
        if line.error is not None:
            self._problem(line.source, line.number, "", line.error)
            self.report.count(UNREADABLE, "failed")
            return None
        kind = line.record.get("kind")
        loader = LOADERS.get(kind) if isinstance(kind, str) else None
        if loader is None:
            if kind in WRITTEN_ELSEWHERE:
                self.found.append((seq, Problem(
                    line.source, line.number, kind, "kind",
                    f"{kind} records are written by the portal, not imported; skipped", "warning")))
                return None
            message = "is required" if kind is None else (
                f"unknown kind {str(kind)[:40]!r}; expected one of {', '.join(LOADERS)}")
            self._problem(line.source, line.number, "", RecordError("kind", message))
            self.report.count(UNREADABLE, "failed")
            return None
        try:
            key, data, warnings = loader.parse(line.record)
        except RecordError as error:
            self._problem(line.source, line.number, kind, error)
            self.report.count(kind, "failed")
            return None
        for key_name, message in warnings:
            self.found.append((seq, Problem(line.source, line.number, kind, key_name, message, "warning")))
        return Item(kind, key, data, line.source, line.number, seq)

    def _problem(self, source: str, number: int, kind: str, error: RecordError) -> None:
        self.found.append((self.seq, Problem(source, number, kind, error.key, error.message)))

    def submit(self, batch: list[Item]) -> None:
        """Load one batch: offices, staff, accounts and bookings in one transaction, whose events
        are checked in it and then handed to the copier (see ``_Copier``)."""
        found, self.found = self.found, []
        if not batch:
            self.copier.submit(None, found=found, results=[])
            return
        groups: dict[str, list[Item]] = {kind: [] for kind in LOADERS}
        for item in batch:
            groups[item.kind].append(item)
        self._ensure_partitions(groups["event"])
        known = Known()
        results: list[LoadResult] = []
        rows: list[tuple] = []
        row_items: list[Item] = []
        with transaction.atomic():
            for kind, loader in LOADERS.items():
                if groups[kind] and loader is not event:
                    self._load(loader, groups[kind], known, results)
            guarded = {kind: len(groups[kind]) for kind in GUARDED_KINDS if groups[kind]}
            if guarded:
                # The network and booking tables are guarded against changes made outside the
                # application; this event says the batch's rows came in through the importer.
                event_record(actor=Actor.system("import_records"), action=Action.RECORDS_IMPORT_BATCH,
                             target_type="records", details={"batch": guarded})
            if groups["event"]:
                checked, rows, row_items = event.prepare(groups["event"], known)
                results.append(checked)
        self.copier.submit((rows, row_items), found=found, results=results)

    def drain(self) -> None:
        """Wait for the last COPY and report it."""
        self.copier.drain()

    def report_batch(self, found: list[tuple[int, Problem]], results: list[LoadResult]) -> None:
        """Count a batch's outcomes and report its problems in file order, once it is all written."""
        tally: Counter = Counter()
        for result in results:
            tally.update(result.tallied)
            for item, outcome, key, message in result.outcomes:
                tally[item.kind, outcome] += 1
                if outcome == "failed":
                    found.append((item.seq, Problem(item.source, item.line, item.kind, key, message)))
        for _seq, problem in sorted(found, key=lambda pair: pair[0]):
            self.report.add(problem)
        for (kind, outcome), n in tally.items():
            self.report.count(kind, outcome, n)

    def _load(self, loader, items: list[Item], known: Known, results: list[LoadResult]) -> None:
        try:
            with transaction.atomic():
                result = loader.load(items, known, update=self.update)
        except (IntegrityError, DataError, InternalError) as exc:
            if len(items) == 1:
                # The database refused this record: say why (first line only: no values).
                result = LoadResult()
                result.fail(items[0], "", database_message(exc))
            else:
                for item in items:
                    self._load(loader, [item], known, results)
                return
        known.merge(result.known)
        results.append(result)

    def _ensure_partitions(self, events: list[Item]) -> None:
        """Create the monthly partitions the batch needs, in a short transaction of its own
        (creating a partition locks the whole table; a batch must not hold that lock)."""
        span = event.month_range(events)
        if span is None:
            return
        first, last = span
        months = set()
        month = dt.date(first.year, first.month, 1)
        while month <= last:
            months.add((month.year, month.month))
            month = (month + dt.timedelta(days=32)).replace(day=1)
        if months <= self.months_ready:
            return
        with transaction.atomic():
            fetch("SELECT audit_event_ensure_partitions(%s, %s)", [first, last])
        self.months_ready |= months


class _Copier:
    """Writes each batch's new events with COPY, and reports the batch once they are in.

    Inline, on the importer's own connection; or, for large imports, on a connection of its
    own in one worker thread, so PostgreSQL indexes batch N while Python reads and checks batch
    N + 1 (psycopg releases the interpreter while it waits on the socket). One COPY is in flight
    at a time and batches commit in order; the events of a batch commit after its bookings.
    """

    def __init__(self, run: _Run, *, concurrent: bool):
        self.run = run
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="records-copy") \
            if concurrent else None
        self.pending = None

    def submit(self, work, *, found, results) -> None:
        self.drain()
        rows, row_items = work or ([], [])
        if self.pool is None:
            results.append(event.copy_batch(rows, row_items))
            self.run.report_batch(found, results)
        else:
            self.pending = (self.pool.submit(event.copy_batch, rows, row_items), found, results)

    def drain(self) -> None:
        if self.pending is not None:
            future, found, results = self.pending
            self.pending = None
            results.append(future.result())
            self.run.report_batch(found, results)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.submit(connections.close_all).result()  # the worker's own connection
            self.pool.shutdown()

