"""``event`` records: one entry of the audit trail, bulk-loaded with COPY.

Events have no identifier in the format, so each one's identity is the SHA-256 of its
canonical form (``import_key``): importing the same event again finds the key and adds
nothing. References (office code, staff NIP, account ref, booking ref) are resolved in one
query per kind per batch. Imported events enter the same table as the portal's own, with
``source = 'import'``. Each row comes with its id (drawn from the table's sequence), the
time and id of the transaction writing it, and its content hash, computed here with
``audit.hashing`` from the very text COPY sends: the insert trigger then has nothing to fill,
and sealing and verification recompute every hash from the content as for any event.

The portal reads and writes three optional keys of its own: ``target`` (``{"type", "id"}``,
for events about something other than a booking), ``user_agent`` and ``request_id``. Other
unknown keys are kept in ``details["_record"]`` and written back at the top level on export.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import orjson
from django.db import DataError, IntegrityError, InternalError, connection, transaction

from audit.actions import BOOKING_ACTIONS, Action, ActorType
from audit.hashing import hash_from_parts, jsonb_text, middle_text, utc_text, utc_text_from_iso

from .. import fields as f
from ..batch import Item, Known, LoadResult
from ..sql import database_message, fetch
from . import account as account_kind
from . import booking as booking_kind
from . import office as office_kind
from . import staff as staff_kind

KIND = "event"
FORMAT_KEYS = frozenset({"kind", "at", "actor", "office", "action", "booking", "ip", "details"})
EXTENSION_KEYS = frozenset({"target", "user_agent", "request_id"})
KNOWN_KEYS = FORMAT_KEYS | EXTENSION_KEYS
ACTIONS = frozenset(Action.values)
BOOKING_ACTION_CODES = frozenset(str(action) for action in BOOKING_ACTIONS)
ACTOR_TYPES = ("staff", "account", "system")
EXTRA = "_record"  # where unknown keys of an event are kept inside details
DEFAULT_ZONE = ZoneInfo("Asia/Jakarta")
UTC = dt.UTC

#: Columns of the one-row fallback (``INSERT_ONE``): the database fills id, times and hash.
COPY_COLUMNS = ("at", "actor_type", "actor_id", "actor_role", "actor_user_id", "office_id", "action",
                "target_type", "target_id", "ip", "user_agent", "request_id", "details", "source",
                "import_key")
#: The bulk path supplies every column, the content hash last.
COPY_SQL = (f"COPY audit_event (id, at, recorded_at, txid, {', '.join(COPY_COLUMNS[1:])}, content_hash) "
            "FROM STDIN")
#: The batch's transaction id and start time, and one id per row from the table's sequence.
RESERVE_SQL = """SELECT txid_current(), now(),
                        ARRAY(SELECT nextval(s.seq) FROM generate_series(1, %s))
                 FROM (SELECT pg_get_serial_sequence('audit_event', 'id')::regclass AS seq) s"""
# COPY's text format: a backslash and the three separators it knows are escaped.
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def parse(record: dict) -> tuple[bytes, dict, list[tuple[str, str]]]:
    """Clean values of one event and its fingerprint."""
    at = f.timestamp(record, "at")
    actor = record.get("actor")
    if actor is None:
        raise f.RecordError("actor", "is required")
    if not isinstance(actor, dict):
        raise f.RecordError("actor", f"must be an object, not {f.type_name(actor)}")
    if len(actor) != 1 or next(iter(actor)) not in ACTOR_TYPES:
        raise f.RecordError(
            "actor", 'must be exactly one of {"staff": nip}, {"account": ref}, {"system": name}')
    actor_type, actor_id = next(iter(actor.items()))
    if not isinstance(actor_id, str) or not actor_id.strip() or len(actor_id) > 64:
        raise f.RecordError(f"actor.{actor_type}", "must be a non-empty string of at most 64 characters")
    action = f.choice(record, "action", ACTIONS)
    office = f.text(record, "office", required=False, nullable=True, max_length=32)
    if office is None and actor_type == "staff":
        raise f.RecordError("office", "is required for an action by staff")
    booking = f.text(record, "booking", required=False, nullable=True, max_length=64)
    if booking is None and action in BOOKING_ACTION_CODES:
        raise f.RecordError("booking", f"is required for {action}")
    details = f.mapping(record, "details", required=False)
    details = {} if details is None else details
    target_type = target_id = ""
    if booking is not None:
        target_type, target_id = "booking", booking
    if "target" in record:  # a portal key: the event is about something other than a booking
        target = f.mapping(record, "target")
        kind, ident = target.get("type"), target.get("id")
        if not (isinstance(kind, str) and isinstance(ident, str) and len(kind) <= 32 and len(ident) <= 64):
            raise f.RecordError("target", 'must be {"type": string, "id": string}')
        if booking is not None and (kind, ident) != ("booking", booking):
            raise f.RecordError("target", "names something other than the event's booking")
        target_type, target_id = kind, ident
    user_agent = request_id = ""
    extra = {}
    others = record.keys() - FORMAT_KEYS  # usually empty: skip the optional keys' checks
    if others:
        user_agent = f.text(record, "user_agent", required=False, blank=True) or ""
        request_id = f.text(record, "request_id", required=False, blank=True, max_length=64) or ""
        extra = {key: record[key] for key in others - EXTENSION_KEYS}
    ip = f.ip_address(record, "ip")
    at_iso = at.isoformat()
    canonical = orjson.dumps(
        [at_iso, actor_type, actor_id, office, action, booking, ip, details, target_type,
         target_id, user_agent, request_id, extra], option=orjson.OPT_SORT_KEYS)
    data = {"at": at, "at_text": utc_text_from_iso(at_iso), "actor_type": actor_type, "actor_id": actor_id,
            "office": office,
            "action": action, "booking": booking, "ip": ip,
            "details": {**details, EXTRA: extra} if extra else details,
            "target_type": target_type, "target_id": target_id, "user_agent": user_agent,
            "request_id": request_id}
    return hashlib.sha256(canonical).digest(), data, []


def _already_loaded(items: list[Item]) -> set[bytes]:
    """Fingerprints of this batch that the table already holds.

    A first probe asks whether any imported event lies in the batch's time range at all (a
    fresh import never finds one, and skips the second); the second looks the keys up.
    """
    first = min(item.data["at"] for item in items)
    last = max(item.data["at"] for item in items)
    if not fetch("SELECT EXISTS (SELECT 1 FROM audit_event WHERE at BETWEEN %s AND %s "
                 "AND import_key IS NOT NULL)", [first, last])[0][0]:
        return set()
    # Each key is looked up with its event's time, one probe of the unique (at, import_key)
    # index, whatever order the file is in. Keys and times travel as two strings: far cheaper to
    # send than arrays of 20,000 bytea and timestamps.
    keys = ",".join(item.key.hex() for item in items)
    times = ",".join(item.data["at_text"] for item in items)
    rows = fetch("""SELECT e.import_key
                    FROM unnest(string_to_array(%s, ',')::timestamptz[],
                                string_to_array(%s, ',')) AS k(at, key)
                    JOIN audit_event e ON e.at = k.at AND e.import_key = decode(k.key, 'hex')
                    WHERE e.import_key IS NOT NULL AND e.at BETWEEN %s AND %s""",
                 [times, keys, first, last])
    return {bytes(key) for (key,) in rows}


def load(items: list[Item], known: Known, *, update: bool) -> LoadResult:
    """Resolve references in bulk, skip events already loaded, COPY the rest (one connection)."""
    result, rows, row_items = prepare(items, known)
    copied = copy_batch(rows, row_items)
    result.tallied.update(copied.tallied)
    result.outcomes.extend(copied.outcomes)
    return result


def prepare(items: list[Item], known: Known) -> tuple[LoadResult, list[tuple], list[Item]]:
    """Check a batch's events against the database and build the rows of the new ones.

    Every reference is resolved with one query per kind; events already in the trail are
    counted unchanged. Reads only: the rows are written by ``copy_batch``.
    """
    result = LoadResult()
    offices = office_kind.resolve({i.data["office"] for i in items if i.data["office"]}, known)
    staff = staff_kind.resolve({i.data["actor_id"] for i in items if i.data["actor_type"] == "staff"}, known)
    accounts = account_kind.resolve(
        {i.data["actor_id"] for i in items if i.data["actor_type"] == "account"}, known)
    bookings = booking_kind.resolve({i.data["booking"] for i in items if i.data["booking"]}, known)
    loaded = _already_loaded(items)
    zones: dict[str, ZoneInfo] = {}
    roles: dict[tuple, str] = {}
    rows: list[tuple] = []
    row_items: list[Item] = []
    for item in items:
        data = item.data
        office_id = None
        zone = DEFAULT_ZONE
        if data["office"] is not None:
            office = offices.get(data["office"])
            if office is None or office.seq > item.seq:
                result.fail(item, "office", f"no office with code {data['office']!r} before this record")
                continue
            office_id = office.id
            name = office.facts["timezone"]
            zone = zones.get(name) or zones.setdefault(name, ZoneInfo(name))
        role, user_id = "", None
        if data["actor_type"] == ActorType.STAFF:
            person = staff.get(data["actor_id"])
            if person is None or person.seq > item.seq:
                result.fail(item, "actor.staff", "no staff with this NIP before this record")
                continue
            day = data["at"].astimezone(zone).date()
            role = roles.get((person.id, day, office_id))
            if role is None:
                role = roles[person.id, day, office_id] = staff_kind.role_on(person, day, office_id)
            user_id = person.facts["user_id"]
        elif data["actor_type"] == ActorType.ACCOUNT:
            account = accounts.get(data["actor_id"])
            if account is None or account.seq > item.seq:
                result.fail(item, "actor.account",
                            f"no account with ref {data['actor_id']!r} before this record")
                continue
            user_id = account.facts.get("user_id")
        if data["booking"] is not None:
            booking = bookings.get(data["booking"])
            if booking is None or booking.seq > item.seq:
                result.fail(item, "booking",
                            f"no booking with ref {data['booking']!r} before this record")
                continue
        if item.key in loaded:
            result.tally(KIND, "unchanged", 1)
            continue
        loaded.add(item.key)
        rows.append(_row(data, role, user_id, office_id, item.key))
        row_items.append(item)
    return result, rows, row_items


def _copy_text(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(COPY_ESCAPES)
    return value


def _row(data: dict, role: str, user_id: int | None, office_id: int | None, key: bytes) -> tuple:
    """One new event, ready for COPY but for its id, transaction and hash: the parameters of
    the one-row fallback, its time as text, the hashed members it already knows (``middle``)
    and the COPY text of its columns from ``actor_type`` to ``import_key``."""
    details = jsonb_text(data["details"]) if data["details"] else "{}"
    key_hex = key.hex()
    actor_type, actor_id, action = data["actor_type"], data["actor_id"], data["action"]
    target_type, target_id, ip = data["target_type"], data["target_id"], data["ip"]
    user_agent, request_id = data["user_agent"], data["request_id"]
    middle = middle_text(actor_type, actor_id, role, user_id, office_id, action, target_type, target_id,
                         ip, user_agent, request_id, details, "import")
    user = "\\N" if user_id is None else str(user_id)
    office = "\\N" if office_id is None else str(office_id)
    plain = "".join((actor_type, actor_id, role, action, target_type, target_id, ip or "", user_agent,
                     request_id, details))
    if "\\" not in plain and plain.isprintable():  # the common case: nothing to escape for COPY
        address = "\\N" if ip is None else ip
        tail = (f"{actor_type}\t{actor_id}\t{role}\t{user}\t{office}\t{action}\t{target_type}\t"
                f"{target_id}\t{address}\t{user_agent}\t{request_id}\t{details}\t"
                f"import\t\\\\x{key_hex}")
    else:
        tail = "\t".join((
            _copy_text(actor_type), _copy_text(actor_id), _copy_text(role), user, office,
            _copy_text(action), _copy_text(target_type), _copy_text(target_id),
            "\\N" if ip is None else _copy_text(ip), _copy_text(user_agent), _copy_text(request_id),
            _copy_text(details), "import", "\\\\x" + key_hex))
    params = (data["at"], actor_type, actor_id, role, user_id, office_id, action, target_type, target_id,
              ip, user_agent, request_id, details, "import", key)
    return params, data["at_text"], middle, tail, key_hex


def _copy_data(rows: list[tuple], ids: list[int], txid: int, recorded_at: dt.datetime) -> bytes:
    """The COPY text of a batch: each row with its id, this transaction and its content hash."""
    recorded_text = utc_text(recorded_at)
    lines = []
    append = lines.append
    for (_params, at_text, middle, tail, key_hex), event_id in zip(rows, ids, strict=True):
        digest = hash_from_parts(event_id, at_text, recorded_text, middle, txid, key_hex).hex()
        append(f"{event_id}\t{at_text}\t{recorded_text}\t{txid}\t{tail}\t\\\\x{digest}\n")
    return "".join(lines).encode()


def copy_batch(rows: list[tuple], row_items: list[Item]) -> LoadResult:
    """COPY rows into the trail in one transaction of this thread's connection.

    The transaction first draws the rows' ids from the table's sequence and reads its own id
    and start time; each row's content hash is computed from those and its content, and
    COPY sends them all. When the database refuses the COPY (another import loaded some of
    these meanwhile, or one row is refused), the rows go in one by one under savepoints, as
    plain inserts that the database completes: a row already there is unchanged, a refused
    one fails with the database's reason, the others are created.
    """
    result = LoadResult()
    if not rows:
        return result
    try:
        # Django's cursor hands ``copy`` to the psycopg 3 cursor underneath; errors become
        # Django's (IntegrityError …) as for any other query.
        with transaction.atomic(), connection.wrap_database_errors, connection.cursor() as cursor:
            cursor.execute(RESERVE_SQL, [len(rows)])
            txid, recorded_at, ids = cursor.fetchone()
            data = _copy_data(rows, ids, txid, recorded_at)
            with cursor.copy(COPY_SQL) as copy:
                copy.write(data)
        result.tally(KIND, "created", len(rows))
        return result
    except (IntegrityError, DataError, InternalError):
        pass
    for row, item in zip(rows, row_items, strict=True):
        try:
            with transaction.atomic():
                inserted = fetch(INSERT_ONE, row[0])
            result.tally(KIND, "created" if inserted else "unchanged", 1)
        except (IntegrityError, DataError, InternalError) as exc:
            result.fail(item, "", database_message(exc))
    return result


PLACEHOLDERS = ", ".join(["%s"] * len(COPY_COLUMNS))
INSERT_ONE = (f"INSERT INTO audit_event ({', '.join(COPY_COLUMNS)}) VALUES ({PLACEHOLDERS}) "  # noqa: S608
              "ON CONFLICT (import_key, at) WHERE import_key IS NOT NULL DO NOTHING RETURNING id")


def month_range(items: list[Item]) -> tuple[dt.date, dt.date] | None:
    """The first and last UTC dates of a batch's events, for creating monthly partitions."""
    if not items:
        return None
    return (min(i.data["at"] for i in items).date(), max(i.data["at"] for i in items).date())


def selection(*, since: dt.datetime | None = None, until: dt.datetime | None = None,
              office_ids: set[int] | None = None) -> tuple[str, list]:
    """The SQL condition (and parameters) choosing the events of an export."""
    conditions, params = ["true"], []
    if since is not None:
        conditions.append("at >= %s")
        params.append(since)
    if until is not None:
        conditions.append("at < %s")
        params.append(until)
    if office_ids is not None:
        conditions.append("office_id = ANY(%s)")
        params.append(list(office_ids))
    return " AND ".join(conditions), params


def export(*, where: tuple[str, list] = ("true", []), chunk_size: int = 5000) -> Iterator[dict]:
    """Events as records in time order, each ``at`` in its office's zone (UTC without one)."""
    zones = {pk: (code, ZoneInfo(zone)) for pk, code, zone in
             fetch("SELECT id, code, timezone FROM offices_office")}
    condition, params = where
    sql = f"""SELECT at, actor_type, actor_id, office_id, action, target_type, target_id,
                     host(ip), user_agent, request_id, details
              FROM audit_event WHERE {condition} ORDER BY at, id"""  # noqa: S608
    # A named (server-side) cursor streams the rows instead of loading the whole trail.
    with connection.chunked_cursor() as cursor:
        cursor.itersize = chunk_size
        cursor.execute(sql, params)
        for row in cursor:
            yield _record(row, zones)


def _record(row: tuple, zones: dict) -> dict:
    (at, actor_type, actor_id, office_id, action, target_type, target_id, ip, user_agent, request_id,
     details) = row
    office = zones.get(office_id)
    if isinstance(details, str):
        details = orjson.loads(details)
    details = dict(details or {})
    extra = details.pop(EXTRA, None) or {}
    actor_kind = actor_type if actor_type in ACTOR_TYPES else "system"
    record = {
        "kind": KIND,
        "at": at.astimezone(office[1] if office else UTC).isoformat(),
        "actor": {actor_kind: actor_id or actor_type},
        "office": office[0] if office else None,
        "action": action,
        "booking": target_id if target_type == "booking" else None,
        "ip": ip,
        "details": details,
    }
    if target_type and target_type != "booking":
        record["target"] = {"type": target_type, "id": target_id}
    if user_agent:
        record["user_agent"] = user_agent
    if request_id:
        record["request_id"] = request_id
    for key, value in extra.items():
        record.setdefault(key, value)
    return record
