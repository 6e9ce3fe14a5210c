"""The only writer of audit events.

Every service calls ``event_record`` inside the transaction that makes its change, so the
change and its event commit together or not at all. The trail knows nothing of bookings:
callers name their target by type and identifier.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils import timezone

from offices.models import Office
from passport_portal.prepared import prepared_cursor
from passport_portal.request_meta import NO_REQUEST, RequestMeta

from .actions import BOOKING_ACTIONS, Action, ActorType


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts, as the trail records it: kind, stable identifier, role and office at the time."""

    type: str
    id: str = ""
    role: str = ""
    office_id: int | None = None
    user_id: int | None = None

    @classmethod
    def system(cls, name: str) -> Actor:
        """A scheduled job or command acting on its own (for example ``no_show_marker``)."""
        return cls(type=ActorType.SYSTEM, id=name)

    @classmethod
    def anonymous(cls) -> Actor:
        return cls(type=ActorType.ANONYMOUS)


def actor_for_user(user, *, office: Office | None = None, on: dt.date | None = None) -> Actor:
    """The actor for a logged-in user: staff by NIP with their role at ``office`` on that day.

    An applicant account is an ``account`` actor; a superuser without a staff profile acts
    as ``system:admin:<username>`` so the trail still says who it was.
    """
    from offices.access import SystemActor
    from offices.selectors import assignment_of

    if isinstance(user, SystemActor):
        return Actor.system(user.name)
    if user is None or not user.is_authenticated:
        return Actor.anonymous()
    staff = getattr(user, "staff", None)
    if staff is not None:
        # Role and posting at the office acted on; an office head acting at a unit of their
        # Kanim, or a supervisor anywhere, is recorded with the posting they hold.
        assignment = assignment_of(staff, on=on, office=office) or assignment_of(staff, on=on)
        return Actor(
            type=ActorType.STAFF, id=staff.nip, user_id=user.pk,
            role=assignment.role if assignment else "",
            office_id=assignment.office_id if assignment else None,
        )
    account = getattr(user, "applicant_account", None)
    if account is not None:
        return Actor(type=ActorType.ACCOUNT, id=account.ref, user_id=user.pk)
    return Actor(type=ActorType.SYSTEM, id=f"admin:{user.get_username()}", user_id=user.pk,
                 role="SUPERUSER" if user.is_superuser else "")


# The trail's one INSERT, written out once and run prepared. Built by the ORM it cost twice
# the CPU of the row itself, on every audited action (0.66 against 0.30 ms per event on 2
# cores), and sent as text the server planned it anew each time (passport_portal/prepared.py):
# in a booking stampede every attempt writes one. The database fills recorded_at, txid and
# content_hash.
COLUMNS = ("at, actor_type, actor_id, actor_role, actor_user_id, office_id, action, target_type, "
           "target_id, ip, user_agent, request_id, details, source")
INSERT = f"""
INSERT INTO audit_event ({COLUMNS})
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, 'app')
RETURNING id, recorded_at, txid
"""  # noqa: S608  (constant columns)
# The same row written by the statement of the change it records (``event_record_with``): as a
# SELECT its parameters have no column to take their types from, so each is cast.
INSERT_AFTER = f"""
WITH change AS ({{statement}})
INSERT INTO audit_event ({COLUMNS})
SELECT %s::timestamptz, %s::text, %s::text, %s::text, %s::bigint, %s::bigint, %s::text, %s::text,
       %s::text, %s::inet, %s::text, %s::text, %s::jsonb, 'app'
WHERE EXISTS (SELECT FROM change)
RETURNING id, recorded_at, txid
"""  # noqa: S608  (constant columns; the statement is the caller's own constant)


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """What the database assigned to an event just written."""

    id: int
    recorded_at: dt.datetime
    txid: int

    @property
    def pk(self) -> int:
        return self.id


class TrailError(RuntimeError):
    """An event was written outside a transaction, or without what its action requires."""


def event_record(
    *,
    actor: Actor,
    action: Action | str,
    office: Office | int | None = None,
    target_type: str = "",
    target_id: str = "",
    details: dict | None = None,
    meta: RequestMeta = NO_REQUEST,
    at: dt.datetime | None = None,
    alone: bool = False,
) -> RecordedEvent:
    """Write one audit event in the caller's transaction; its id, record time and transaction.

    Refuses to run outside ``transaction.atomic``: an event committed apart from its change
    could say something happened that did not, or miss something that did. ``alone`` says the
    event is the whole of what happened (a refused attempt, a reading of personal data): outside
    a transaction its one INSERT then commits by itself, which spares the refusals of a stampede
    a BEGIN and a COMMIT each.
    """
    if not (connection.in_atomic_block or alone):
        raise TrailError("event_record must be called inside the transaction of the change.")
    values = EventDraft(actor=actor, action=action, office=office, target_type=target_type,
                        target_id=target_id, details=details, meta=meta, at=at).values()
    with prepared_cursor() as cursor:
        cursor.execute(INSERT, values)
        return RecordedEvent(*cursor.fetchone())


@dataclass(frozen=True, slots=True)
class EventDraft:
    """An event to be written by the statement of its change: ``event_record``'s arguments."""

    actor: Actor
    action: Action | str
    office: Office | int | None = None
    target_type: str = ""
    target_id: str = ""
    details: dict | None = None
    meta: RequestMeta = NO_REQUEST
    at: dt.datetime | None = None

    def values(self) -> list:
        """The row's parameters, in ``COLUMNS`` order (but ``source``); checks the action."""
        action = Action(self.action)
        if action in BOOKING_ACTIONS and not (self.target_type == "booking" and self.target_id):
            raise TrailError(f"{action} events must name their booking.")
        office_id = self.office.pk if isinstance(self.office, Office) else self.office
        if office_id is None:
            office_id = self.actor.office_id
        meta, actor = self.meta, self.actor
        return [
            self.at or timezone.now(), actor.type, actor.id, actor.role, actor.user_id, office_id,
            str(action), self.target_type, str(self.target_id), meta.ip or None, meta.user_agent,
            meta.request_id, JSON.encode(self.details or {}),
        ]


# One encoder for every event (``json.dumps(..., cls=...)`` would build one per call).
JSON = DjangoJSONEncoder()


def event_record_with(statement: str, params: list, draft: EventDraft) -> RecordedEvent | None:
    """Run ``statement`` and, in that same statement, write ``draft`` if it returned a row.

    ``statement`` is one data-modifying statement with ``RETURNING`` (a conditional UPDATE that
    sells a place, say): the change and its event go to the database in one round trip and one
    statement instead of two, on the path every sale takes. Returns the event written, or None
    when the statement returned no row, changed nothing, and so wrote no event. Like
    ``event_record``, only inside the caller's transaction.
    """
    if not connection.in_atomic_block:
        raise TrailError("event_record_with must be called inside the transaction of the change.")
    with prepared_cursor() as cursor:
        cursor.execute(INSERT_AFTER.format(statement=statement), [*params, *draft.values()])
        row = cursor.fetchone()
    return RecordedEvent(*row) if row else None


def changes_between(before: dict, after: dict) -> dict:
    """The ``{"field": {"old": …, "new": …}}`` map of what differs, for an event's details."""
    return {
        key: {"old": before.get(key), "new": after.get(key)}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
