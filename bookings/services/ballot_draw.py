"""Drawing a ballot, booking its winners, telling every entrant, and checking a draw.

The draw is a pure function of the seed and the entries' ids: each entry's rank orders
``sha256(seed || id)`` (the seed's 16 bytes, then the id in decimal ASCII; ties, which
need a SHA-256 collision, fall back to the id). Every entry is equally likely to get any
rank whenever and however it entered, and anyone holding the seed and the ids can recompute
the ranks (``draw_order``) without this code. PostgreSQL ranks the entries in one
statement (``RANK``); ``ballot_verify`` recomputes them in Python and compares.

The work runs in steps, each taken once by a conditional UPDATE of the ballot's status
(OPEN → DRAWN → ALLOCATED → DONE) and the whole run under a per-ballot advisory lock, so a
redelivered or duplicated task continues where the last one stopped and never draws twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.trail import Actor, EventDraft, event_record
from bookings.choices import Channel, RefusalReason
from bookings.errors import Conflict
from bookings.identity import mask_nik
from bookings.models import Ballot, BallotEntry, BallotNotice, Booking, Slot
from bookings.models.ballot import BallotStatus, EntryOutcome
from bookings.notifiers import ballot_notifier

from .booking import booking_insert
from .capacity import slots_materialise

logger = logging.getLogger(__name__)

#: The trail's actor for everything the draw job does.
DRAW_ACTOR = Actor.system("ballot_draw")
#: Advisory lock namespace of ballot runs ("ball"); the second key is the ballot's id.
LOCK_NAMESPACE = 0x62616C6C
SEED_BITS = 128

RANK = """
WITH ranked AS (
    SELECT id, row_number() OVER (
        ORDER BY sha256(decode(%(seed)s, 'hex') || convert_to(id::text, 'UTF8')), id) AS rank
    FROM bookings_ballotentry WHERE ballot_id = %(ballot)s
)
UPDATE bookings_ballotentry e SET rank = ranked.rank FROM ranked WHERE e.id = ranked.id
"""
COUNT_ENTRIES = """
UPDATE bookings_ballot SET entries_count =
    (SELECT count(*) FROM bookings_ballotentry WHERE ballot_id = %(ballot)s)
WHERE id = %(ballot)s
"""
TAKE_STEP = """
UPDATE bookings_ballot SET status = %(to)s{extra}
WHERE id = %(ballot)s AND status = %(from)s {guard} RETURNING id
"""
# Reasons that end one winner's chance; a full or closed slot only sends them to the next.
SLOT_REASONS = (RefusalReason.SLOT_FULL, RefusalReason.SLOT_CLOSED)


def draw_key(seed: str, entry_id: int) -> bytes:
    """The value an entry is ranked by: SHA-256 of the seed's bytes and the id in decimal."""
    return hashlib.sha256(bytes.fromhex(seed) + str(entry_id).encode()).digest()


def draw_order(seed: str, entry_ids: Iterable[int]) -> list[int]:
    """The entry ids in rank order for ``seed``: the whole draw, reproducible by anyone."""
    return sorted(entry_ids, key=lambda entry_id: (draw_key(seed, entry_id), entry_id))


def new_seed() -> str:
    """128 random bits from the operating system's generator, as 32 hex digits."""
    return f"{secrets.randbits(SEED_BITS):032x}"


@contextmanager
def ballot_lock(ballot_id: int):
    """Hold the ballot's advisory lock for the block; yields False when another run holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, ballot_id])
        (locked,) = cursor.fetchone()
    try:
        yield locked
    finally:
        if locked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, ballot_id])


def _step(ballot_id: int, *, from_: str, to: str, extra: str = "", guard: str = "",
          params: dict | None = None) -> bool:
    """Move the ballot from one status to the next, once: False when it is not at ``from_``."""
    sql = TAKE_STEP.format(extra=f", {extra}" if extra else "", guard=guard)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"ballot": ballot_id, "from": from_, "to": to, **(params or {})})
        return cursor.fetchone() is not None


def ballot_draw(*, ballot_id: int, now: dt.datetime | None = None, seed: str | None = None) -> bool:
    """Draw a ballot whose window has closed: store a fresh seed and rank every entry.

    One transaction: the conditional UPDATE OPEN → DRAWN (which waits for entries still
    being written, see ``ballot_enter``), the ranking in SQL, and BALLOT_DRAW with the seed
    and a digest of the order. Returns False when the ballot is not open or not yet closed.
    ``seed`` is for tests and drills only; the job always draws a fresh one.
    """
    now = now or timezone.now()
    seed = seed or new_seed()
    with transaction.atomic():
        taken = _step(
            ballot_id, from_=BallotStatus.OPEN, to=BallotStatus.DRAWN,
            extra="seed = %(seed)s, drawn_at = %(now)s",
            guard="AND closes_at <= %(now)s", params={"seed": seed, "now": now})
        if not taken:
            return False
        # Later statements, not the UPDATE above: its snapshot predates the entries it waited for.
        with connection.cursor() as cursor:
            cursor.execute(RANK, {"seed": seed, "ballot": ballot_id})
            cursor.execute(COUNT_ENTRIES, {"ballot": ballot_id})
        ballot = Ballot.objects.get(pk=ballot_id)
        order = list(BallotEntry.objects.filter(ballot_id=ballot_id).order_by("rank")
                     .values_list("id", flat=True))
        event_record(actor=DRAW_ACTOR, action=Action.BALLOT_DRAW, office=ballot.office_id,
                     target_type="ballot", target_id=ballot.ref,
                     details={"seed": seed, "entries": ballot.entries_count,
                              "order_sha256": order_digest(order), "date": ballot.service_date},
                     at=now)
    return True


def order_digest(order: list[int]) -> str:
    """SHA-256 of the ranked ids joined by commas: the draw's fingerprint in the trail."""
    return hashlib.sha256(",".join(map(str, order)).encode()).hexdigest()


def _free_slot(ballot: Ballot) -> Slot | None:
    return (Slot.objects.filter(office_id=ballot.office_id, service_date=ballot.service_date,
                                closed=False, booked__lt=F("capacity"))
            .order_by("starts_at").first())


def _notice(entry: BallotEntry, outcome: str, now: dt.datetime, booking: Booking | None = None) -> None:
    if outcome == EntryOutcome.WON:
        message = _("You were drawn for %(date)s at %(office)s, %(time)s. Booking code: %(code)s.") % {
            "date": booking.service_date.isoformat(), "office": entry.ballot.office.name,
            "time": booking.slot_time.strftime("%H:%M"), "code": booking.code}
    elif outcome == EntryOutcome.REFUSED:
        message = _("You were drawn, but the booking was refused: %(reason)s.") % {
            "reason": RefusalReason(entry.refusal).label if entry.refusal in RefusalReason.values
            else entry.refusal}
    else:
        message = _("You were not drawn for %(date)s at %(office)s. Other dates stay open.") % {
            "date": entry.ballot.service_date.isoformat(), "office": entry.ballot.office.name}
    BallotNotice.objects.create(entry=entry, outcome=outcome, message=str(message), created_at=now)


@dataclass
class AllocationResult:
    """What booking the winners did: booked, refused by reason, and not drawn."""

    booked: int = 0
    refused: Counter = field(default_factory=Counter)
    lost: int = 0


def _book_winner(ballot: Ballot, entry: BallotEntry, now: dt.datetime) -> Booking | None:
    """Book ``entry`` into the earliest slot with room, through the bookings core.

    Returns None when the day has no room left. A refusal of the person (NIK, account
    cap) is raised as ``Conflict`` for the caller to record.
    """
    while True:
        slot = _free_slot(ballot)
        if slot is None:
            return None
        booking = Booking(
            account_id=entry.account_id, office_id=ballot.office_id, service_date=ballot.service_date,
            slot_time=slot.starts_at, service=entry.service, channel=Channel.ONLINE, nik=entry.nik,
            name=entry.name, birth_date=entry.birth_date, phone=entry.phone, email=entry.email,
            created_at=now, ip=entry.ip, device=entry.device, details={"ballot": ballot.ref},
        )

        def event(saved: Booking) -> EventDraft:
            return EventDraft(actor=DRAW_ACTOR, action=Action.BOOK, office=ballot.office_id,
                              target_type="booking", target_id=saved.ref,
                              details={"code": saved.code, "date": ballot.service_date,
                                       "slot": saved.slot_time.strftime("%H:%M"), "service": entry.service,
                                       "channel": Channel.ONLINE, "ballot": ballot.ref, "entry": entry.pk,
                                       "rank": entry.rank, "account": entry.account.ref},
                              at=now)

        def then(saved: Booking) -> None:
            BallotEntry.objects.filter(pk=entry.pk).update(outcome=EntryOutcome.WON, booking=saved)
            entry.outcome, entry.booking = EntryOutcome.WON, saved
            Ballot.objects.filter(pk=ballot.pk).update(booked_count=F("booked_count") + 1)
            _notice(entry, EntryOutcome.WON, now, saved)

        try:
            return booking_insert(booking=booking, slot_id=slot.pk, event=event, then=then)
        except Conflict as exc:
            if exc.code not in SLOT_REASONS:
                raise
            # Taken by a walk-in or closed meanwhile: try the next slot with room.


def ballot_allocate(*, ballot_id: int, now: dt.datetime | None = None) -> AllocationResult | None:
    """Book the drawn entries in rank order until the places or the day's room run out.

    Each winner is booked in its own transaction through ``booking_insert`` (the slot's
    conditional UPDATE, the NIK's partial unique index, the account's cap), together with
    the entry's outcome, its notice and BOOK by the draw. A winner refused for the NIK or
    the cap is REFUSED and the place goes to the next rank. The rest are LOST in one
    statement; BALLOT_ALLOCATE sums it up. Returns None when the ballot is not DRAWN.
    """
    now = now or timezone.now()
    ballot = Ballot.objects.select_related("office").get(pk=ballot_id)
    if ballot.status != BallotStatus.DRAWN:
        return None
    slots_materialise(office=ballot.office, service_date=ballot.service_date)
    result = AllocationResult(booked=ballot.booked_count)
    pending = (BallotEntry.objects.select_related("account", "ballot__office")
               .filter(ballot_id=ballot_id, outcome=EntryOutcome.PENDING).order_by("rank"))
    for entry in pending.iterator(chunk_size=200):
        if ballot.places is not None and result.booked >= ballot.places:
            break
        try:
            booked = _book_winner(ballot, entry, now)
        except Conflict as exc:
            with transaction.atomic():
                entry.outcome, entry.refusal = EntryOutcome.REFUSED, exc.code
                entry.save(update_fields=["outcome", "refusal"])
                _notice(entry, EntryOutcome.REFUSED, now)
            result.refused[exc.code] += 1
            continue
        if booked is None:
            break
        result.booked += 1
    with transaction.atomic():
        lost = list(BallotEntry.objects.select_related("ballot__office")
                    .filter(ballot_id=ballot_id, outcome=EntryOutcome.PENDING))
        BallotEntry.objects.filter(pk__in=[e.pk for e in lost]).update(outcome=EntryOutcome.LOST)
        for entry in lost:
            _notice(entry, EntryOutcome.LOST, now)
        result.lost = len(lost)
        refused = dict(BallotEntry.objects.filter(ballot_id=ballot_id, outcome=EntryOutcome.REFUSED)
                       .values_list("refusal").annotate(n=Count("id")).order_by())
        if not _step(ballot_id, from_=BallotStatus.DRAWN, to=BallotStatus.ALLOCATED):
            transaction.set_rollback(True)
            return None
        event_record(actor=DRAW_ACTOR, action=Action.BALLOT_ALLOCATE, office=ballot.office_id,
                     target_type="ballot", target_id=ballot.ref,
                     details={"booked": result.booked, "refused": refused, "lost": result.lost,
                              "places": ballot.places, "date": ballot.service_date}, at=now)
    result.refused = Counter(refused)
    return result


def ballot_notify(*, ballot_id: int, now: dt.datetime | None = None) -> int | None:
    """Send every unsent notice of an allocated ballot, then mark the ballot DONE.

    Each notice is handed to the notifier and then marked sent with its BALLOT_NOTIFY event
    in one short transaction; a notice whose sending raised stays unsent (logged, without
    the NIK) and the ballot stays ALLOCATED, so the next run (the beat queues one every
    minute) sends what is left. Returns how many were sent (None when not ALLOCATED).
    """
    now = now or timezone.now()
    ballot = Ballot.objects.get(pk=ballot_id)
    if ballot.status != BallotStatus.ALLOCATED:
        return None
    notifier = ballot_notifier()
    sent = 0
    unsent = (BallotNotice.objects.select_related("entry")
              .filter(entry__ballot_id=ballot_id, sent_at__isnull=True).order_by("id"))
    failed = 0
    for notice in unsent.iterator(chunk_size=500):
        try:
            notifier.send(notice)
        except Exception:  # any delivery failure leaves the notice for the next run
            failed += 1
            logger.warning("ballot %s: notice %s not delivered", ballot.ref, notice.pk, exc_info=True)
            continue
        with transaction.atomic():
            BallotNotice.objects.filter(pk=notice.pk).update(sent_at=now)
            event_record(actor=DRAW_ACTOR, action=Action.BALLOT_NOTIFY, office=ballot.office_id,
                         target_type="ballot_entry", target_id=str(notice.entry_id),
                         details={"ballot": ballot.ref, "outcome": notice.outcome,
                                  "nik": mask_nik(notice.entry.nik)}, at=now)
        sent += 1
    if not failed:
        with transaction.atomic():
            _step(ballot_id, from_=BallotStatus.ALLOCATED, to=BallotStatus.DONE,
                  extra="finished_at = %(now)s", params={"now": now})
    return sent


@dataclass
class RunResult:
    """What one run of a ballot did, for the task's result and the command's output."""

    ballot_id: int
    locked_out: bool = False
    drawn: bool = False
    allocation: AllocationResult | None = None
    notices_sent: int | None = None
    status: str = ""

    def as_dict(self) -> dict:
        allocation = self.allocation
        return {"ballot": self.ballot_id, "locked_out": self.locked_out, "drawn": self.drawn,
                "booked": allocation.booked if allocation else None,
                "refused": dict(allocation.refused) if allocation else None,
                "lost": allocation.lost if allocation else None,
                "notices_sent": self.notices_sent, "status": self.status}


def ballot_run(*, ballot_id: int, now: dt.datetime | None = None) -> RunResult:
    """Take every step the ballot is due for (draw, book, notify), under its advisory lock.

    Safe to call any number of times, from any number of workers: a second caller while one
    runs finds the lock taken and returns; a caller after a crash resumes at the step left.
    """
    result = RunResult(ballot_id=ballot_id)
    with ballot_lock(ballot_id) as locked:
        if not locked:
            result.locked_out = True
            return result
        result.drawn = ballot_draw(ballot_id=ballot_id, now=now)
        result.allocation = ballot_allocate(ballot_id=ballot_id, now=now)
        result.notices_sent = ballot_notify(ballot_id=ballot_id, now=now)
    result.status = Ballot.objects.values_list("status", flat=True).get(pk=ballot_id)
    return result


def ballots_due(now: dt.datetime | None = None) -> list[int]:
    """Ids of ballots whose window has closed and whose run is not finished."""
    now = now or timezone.now()
    return list(Ballot.objects.filter(closes_at__lte=now).exclude(status=BallotStatus.DONE)
                .order_by("closes_at", "id").values_list("id", flat=True))


@dataclass
class Verification:
    """The result of re-running a draw from its seed: does everything stored agree?"""

    ballot_ref: str
    seed: str
    entries: int
    order_matches: bool
    digest_matches: bool
    outcomes_consistent: bool
    mismatched_entries: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.order_matches and self.digest_matches and self.outcomes_consistent

    def as_dict(self) -> dict:
        return {"ballot": self.ballot_ref, "seed": self.seed, "entries": self.entries, "ok": self.ok,
                "order_matches": self.order_matches, "digest_matches": self.digest_matches,
                "outcomes_consistent": self.outcomes_consistent,
                "mismatched_entries": self.mismatched_entries[:100]}


def ballot_verify(*, ballot: Ballot) -> Verification:
    """Re-run ``ballot``'s draw from its seed and compare with what is stored.

    Checks that (1) every entry's stored rank is the rank ``draw_order`` gives it, (2) the
    order's digest equals the one BALLOT_DRAW recorded, and (3) the outcomes follow the
    ranks: no entry was left undrawn while an entry ranked after it was booked. A read: it
    changes nothing, so it records nothing.
    """
    from audit.models import Event

    if ballot.status == BallotStatus.OPEN:
        raise Conflict(_("This ballot has not been drawn yet."), code="ballot_not_drawn")
    rows = list(BallotEntry.objects.filter(ballot=ballot).values_list("id", "rank", "outcome"))
    expected = draw_order(ballot.seed, [row[0] for row in rows])
    expected_rank = {entry_id: rank for rank, entry_id in enumerate(expected, start=1)}
    mismatched = sorted(entry_id for entry_id, rank, _outcome in rows if expected_rank[entry_id] != rank)
    recorded = (Event.objects.filter(action=Action.BALLOT_DRAW, target_type="ballot", target_id=ballot.ref)
                .values_list("details", flat=True).first() or {})
    booked_ranks = [rank for _id, rank, outcome in rows if outcome == EntryOutcome.WON]
    lost_ranks = [rank for _id, rank, outcome in rows if outcome == EntryOutcome.LOST]
    consistent = not booked_ranks or not lost_ranks or max(booked_ranks) < min(lost_ranks)
    return Verification(
        ballot_ref=ballot.ref, seed=ballot.seed, entries=len(rows), order_matches=not mismatched,
        digest_matches=recorded.get("order_sha256") == order_digest(expected),
        outcomes_consistent=consistent, mismatched_entries=mismatched)
