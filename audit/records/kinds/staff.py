"""``staff`` records: a civil servant (by NIP) and where they work now, in which role.

A record becomes a ``StaffProfile`` (with no login: imported people sign in only once given
one) and its latest ``Assignment``. Postings are history: an update may change the latest
posting in place (same ``active_from``) or start a new one after it, ending the previous one
the day before; it never rewrites an earlier period. Staff have no ``details``, so unknown
keys are ignored with a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from django.db.models import OuterRef, Subquery

from offices.choices import Role
from offices.models import Assignment, StaffProfile

from .. import fields as f
from ..batch import Item, Known, LoadResult, Ref
from ..sql import fetch, unnest
from . import office as office_kind

KIND = "staff"
FORMAT_KEYS = frozenset({"kind", "nip", "name", "office", "role", "active_from", "active_until"})
ROLES = frozenset(Role.values)
NIP = re.compile(r"^[0-9]{18}$")
POSTING = ("office", "role", "active_from", "active_until")


def parse(record: dict) -> tuple[str, dict, list[tuple[str, str]]]:
    nip = f.text(record, "nip")
    if not NIP.match(nip):
        raise f.RecordError("nip", "must be 18 digits")
    data = {
        "nip": nip,
        "name": f.text(record, "name", max_length=200),
        "office": f.text(record, "office", max_length=32),
        "role": f.choice(record, "role", ROLES),
        "active_from": f.date(record, "active_from"),
        "active_until": f.date(record, "active_until", required=False, nullable=True),
    }
    if data["active_until"] is not None and data["active_until"] < data["active_from"]:
        raise f.RecordError("active_until", "is before active_from")
    warnings = [(key, "unknown key ignored (staff have no details)")
                for key in f.unknown_keys(record, FORMAT_KEYS)]
    return nip, data, warnings


def existing(nips: set[str]) -> dict[str, dict]:
    """Staff already in the database by NIP, with their latest posting."""
    if not nips:
        return {}
    rows = fetch(
        """SELECT s.nip, s.id, s.user_id, s.name, a.id, o.code, a.role, a.valid_from, a.valid_until
           FROM offices_staffprofile s
           LEFT JOIN LATERAL (SELECT * FROM offices_assignment x WHERE x.staff_id = s.id
                              ORDER BY x.valid_from DESC LIMIT 1) a ON true
           LEFT JOIN offices_office o ON o.id = a.office_id
           WHERE s.nip = ANY(%s)""", [list(nips)])
    return {row[0]: {"id": row[1], "user_id": row[2], "nip": row[0], "name": row[3],
                     "assignment_id": row[4], "office": row[5], "role": row[6],
                     "active_from": row[7], "active_until": row[8]} for row in rows}


def resolve(nips: set[str], known: Known) -> dict[str, Ref]:
    """Staff by NIP with their user id and postings (for the role at an event's time)."""
    found: dict[str, Ref] = {}
    if not nips:
        return found
    rows = fetch(
        """SELECT s.nip, s.id, s.user_id,
                  coalesce(array_agg(array[a.office_id::text, a.role, a.valid_from::text,
                                           coalesce(a.valid_until::text, '')]
                                     ORDER BY a.valid_from) FILTER (WHERE a.id IS NOT NULL), '{}')
           FROM offices_staffprofile s LEFT JOIN offices_assignment a ON a.staff_id = s.id
           WHERE s.nip = ANY(%s) GROUP BY s.id""", [list(nips)])
    for nip, staff_id, user_id, postings in rows:
        batch_ref = known.get(KIND, nip)
        found[nip] = Ref(staff_id, batch_ref.seq if batch_ref else 0, {
            "user_id": user_id,
            "postings": [(int(office), role, dt.date.fromisoformat(start),
                          dt.date.fromisoformat(end) if end else None)
                         for office, role, start, end in postings],
        })
    return found


def role_on(ref: Ref, day: dt.date, office_id: int | None) -> str:
    """The role the person held on ``day``, preferring a posting at ``office_id``."""
    best = ""
    for posting_office, role, start, end in ref.facts["postings"]:
        if start <= day and (end is None or day <= end):
            if posting_office == office_id:
                return role
            best = best or role
    return best


def load(items: list[Item], known: Known, *, update: bool) -> LoadResult:
    result = LoadResult()
    state = existing({item.key for item in items})
    offices = office_kind.resolve({item.data["office"] for item in items}, known)
    profiles_new: dict[str, dict] = {}
    names_changed: dict[str, str] = {}
    postings_new: list[dict] = []
    postings_changed: list[dict] = []
    postings_ended: list[tuple[int, dt.date]] = []
    for item in items:
        data = item.data
        office = offices.get(data["office"])
        if office is None or office.seq > item.seq:
            result.fail(item, "office", f"no office with code {data['office']!r} before this record")
            continue
        current = state.get(item.key)
        if current is None:
            profiles_new[item.key] = data
            postings_new.append(data)
            state[item.key] = {**data, "assignment_id": None, "new": True}
            result.ok(item, "created")
            continue
        differences = [key for key in ("name", *POSTING) if data[key] != current.get(key)]
        if not differences:
            result.ok(item, "unchanged")
            continue
        if not update:
            result.fail(item, differences[0], f"staff {item.key} exists with other values "
                        f"({', '.join(differences)}); import with --update to change it")
            continue
        if current.get("new"):
            result.fail(item, "nip", "appears twice in one batch with different values")
            continue
        if current["office"] is not None and data["active_from"] < current["active_from"]:
            result.fail(item, "active_from", "is before the latest posting on record; "
                        "postings are history and are not rewritten")
            continue
        if data["name"] != current["name"]:
            names_changed[item.key] = data["name"]
        if any(key in differences for key in POSTING):
            if current["assignment_id"] is not None and data["active_from"] == current["active_from"]:
                postings_changed.append({**data, "assignment_id": current["assignment_id"]})
            else:
                if current["assignment_id"] is not None and (
                        current["active_until"] is None or current["active_until"] >= data["active_from"]):
                    day_before = data["active_from"] - dt.timedelta(days=1)
                    postings_ended.append((current["assignment_id"], day_before))
                postings_new.append(data)
        state[item.key] = {**current, **data}
        result.ok(item, "updated")
    _write(profiles_new, names_changed, postings_new, postings_changed, postings_ended)
    for item, outcome, _key, _message in result.outcomes:
        if outcome != "failed":
            result.register(KIND, item.key, Ref(0, item.seq))
    return result


def _write(profiles_new, names_changed, postings_new, postings_changed, postings_ended) -> None:
    if profiles_new:
        source, params = unnest([("nip", "varchar"), ("name", "varchar")],
                                [(d["nip"], d["name"]) for d in profiles_new.values()])
        fetch(f"""INSERT INTO offices_staffprofile (nip, name, created_at)
                  SELECT v.nip, v.name, now() FROM {source}
                  ON CONFLICT (nip) DO NOTHING RETURNING id""", params)  # noqa: S608
    if names_changed:
        source, params = unnest([("nip", "varchar"), ("name", "varchar")], list(names_changed.items()))
        fetch(f"""UPDATE offices_staffprofile s SET name = v.name FROM {source}
                  WHERE s.nip = v.nip RETURNING s.id""", params)  # noqa: S608
    if postings_ended:
        source, params = unnest([("id", "bigint"), ("until", "date")], postings_ended)
        fetch(f"""UPDATE offices_assignment a SET valid_until = v.until FROM {source}
                  WHERE a.id = v.id RETURNING a.id""", params)  # noqa: S608
    if postings_changed:
        source, params = unnest(
            [("id", "bigint"), ("office", "varchar"), ("role", "varchar"), ("until", "date")],
            [(d["assignment_id"], d["office"], d["role"], d["active_until"]) for d in postings_changed])
        fetch(f"""UPDATE offices_assignment a SET office_id = o.id, role = v.role, valid_until = v.until
                  FROM {source} JOIN offices_office o ON o.code = v.office
                  WHERE a.id = v.id RETURNING a.id""", params)  # noqa: S608
    if postings_new:
        source, params = unnest(
            [("nip", "varchar"), ("office", "varchar"), ("role", "varchar"), ("start", "date"),
             ("until", "date")],
            [(d["nip"], d["office"], d["role"], d["active_from"], d["active_until"]) for d in postings_new])
        fetch(f"""INSERT INTO offices_assignment
                      (staff_id, office_id, role, valid_from, valid_until, created_at)
                  SELECT s.id, o.id, v.role, v.start, v.until, now()
                  FROM {source} JOIN offices_staffprofile s ON s.nip = v.nip
                  JOIN offices_office o ON o.code = v.office RETURNING id""", params)  # noqa: S608


def export(*, office_codes: set[str] | None = None, chunk_size: int = 2000) -> Iterator[dict]:
    """Staff as records, by NIP, each with their latest posting (the format holds one)."""
    latest = Assignment.objects.filter(staff=OuterRef("pk")).order_by("-valid_from")
    staff = (StaffProfile.objects.annotate(
        office_code=Subquery(latest.values("office__code")[:1]),
        role=Subquery(latest.values("role")[:1]),
        active_from=Subquery(latest.values("valid_from")[:1]),
        active_until=Subquery(latest.values("valid_until")[:1]),
    ).filter(office_code__isnull=False).order_by("nip"))
    if office_codes is not None:
        staff = staff.filter(office_code__in=office_codes)
    for person in staff.iterator(chunk_size=chunk_size):
        yield {"kind": KIND, "nip": person.nip, "name": person.name, "office": person.office_code,
               "role": person.role, "active_from": person.active_from.isoformat(),
               "active_until": person.active_until.isoformat() if person.active_until else None}
