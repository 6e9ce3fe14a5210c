"""Export to records-v1: the database written out in reference order, streamed.

Kinds come in the order the format needs (offices, staff, accounts, bookings, events) and,
within a kind, in an order that puts every record after those it refers to, so that
importing the output into an empty database reproduces it. Rows are read in chunks
(server-side cursors), so memory does not grow with the trail.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import BinaryIO

import orjson
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.trail import actor_for_user, event_record
from offices.access import Capability, require
from offices.models import Office
from passport_portal.request_meta import NO_REQUEST, RequestMeta

from .kinds import account, booking, event, office, staff

#: Writers in reference order.
EXPORTERS = {"office": office, "staff": staff, "account": account, "booking": booking, "event": event}


def records_export(*, actor, out: BinaryIO, kinds: list[str] | None = None,
                   since: dt.datetime | None = None, until: dt.datetime | None = None,
                   office_code: str | None = None, meta: RequestMeta = NO_REQUEST) -> Counter:
    """Write records to ``out`` and return how many of each kind.

    ``since``/``until`` bound events by time; ``office_code`` keeps one office (with its
    units, or its Kanim for a unit) and what happened there. The export is recorded in the
    audit trail: it takes personal data out of the portal.
    """
    kinds = kinds or list(EXPORTERS)
    unknown = [kind for kind in kinds if kind not in EXPORTERS]
    if unknown:
        raise ValidationError({"kinds": [_("Unknown kind: %(kinds)s.") % {"kinds": ", ".join(unknown)}]})
    for name, value in (("since", since), ("until", until)):
        if value is not None and value.tzinfo is None:
            raise ValidationError({name: [_("A time needs its zone.")]})
    office_codes = office_ids = None
    if office_code is not None:
        subject = Office.objects.filter(code=office_code).first()
        require(actor, Capability.AUDIT, subject.pk if subject else -1)
        family = Office.objects.filter(pk=subject.pk) | Office.objects.filter(parent=subject)
        office_codes = set(family.values_list("code", flat=True))
        office_ids = set(family.values_list("pk", flat=True))
    else:
        require(actor, Capability.AUDIT, None)
    counts: Counter = Counter()
    # One snapshot for the whole export, so references stay consistent while others write.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        for kind in EXPORTERS:
            if kind in kinds:
                for record in _records(kind, since=since, until=until, office_codes=office_codes,
                                       office_ids=office_ids):
                    out.write(orjson.dumps(record) + b"\n")
                    counts[kind] += 1
    with transaction.atomic():
        event_record(
            actor=actor_for_user(actor), action=Action.RECORDS_EXPORT, target_type="records",
            details={"kinds": kinds, "since": since, "until": until, "office": office_code,
                     "counts": dict(counts)},
            meta=meta,
        )
    return counts


def _records(kind: str, *, since, until, office_codes, office_ids):
    """The records of one kind under the export's filters.

    With filters, bookings and accounts follow the events: a booking or account that an
    exported event (or exported booking) names is exported too, so nothing refers to a
    record the file leaves out. Offices and staff are filtered by office only.
    """
    events = event.selection(since=since, until=until, office_ids=office_ids)
    filtered = since is not None or until is not None or office_ids is not None
    named_bookings = (f"SELECT target_id FROM audit_event WHERE target_type = 'booking' AND {events[0]}",  # noqa: S608
                      events[1])
    if kind == "event":
        return event.export(where=events)
    if kind == "booking":
        return booking.export(office_ids=office_ids, since=since, until=until,
                              refs_query=named_bookings if filtered else None)
    if kind == "account":
        if not filtered:
            return account.export()
        booking_where, booking_params = booking.selection(office_ids=office_ids, since=since, until=until)
        # Accounts belong to no office: without one, those registered in the period come too.
        registered, registered_params = ("false", []) if office_ids is not None else \
            account.selection(since=since, until=until)
        return account.export(refs_query=(
            f"""SELECT a.ref FROM bookings_booking b JOIN bookings_account a ON a.id = b.account_id
                WHERE ({booking_where}) OR b.ref IN ({named_bookings[0]})
                UNION SELECT actor_id FROM audit_event WHERE actor_type = 'account' AND {events[0]}
                UNION SELECT ref FROM bookings_account a WHERE {registered}""",  # noqa: S608
            [*booking_params, *named_bookings[1], *events[1], *registered_params]))
    return EXPORTERS[kind].export(office_codes=office_codes)
