"""``office`` records: a Kanim or a unit under one, identified by ``code``.

Besides the format's keys the portal reads and writes four of its own, optional ones:
``city``, ``address``, ``opens_at`` and ``closes_at`` (office-local ``HH:MM``). Absent, they
keep what the database holds (or the portal's defaults for a new office). Any other key is
kept in the office's ``details``.
"""

from __future__ import annotations

from collections.abc import Iterator

import orjson
from django.db.models import Case, IntegerField, Q, Value, When

from offices.choices import OfficeTimezone, OfficeType
from offices.models import Office, Region
from offices.sample_network import sample_regions
from offices.services import region_get_or_create

from .. import fields as f
from ..batch import Item, Known, LoadResult, Ref
from ..sql import fetch, unnest

KIND = "office"
FORMAT_KEYS = frozenset({"kind", "code", "name", "type", "parent", "region", "timezone", "daily_quota"})
EXTENSION_KEYS = ("city", "address", "opens_at", "closes_at")
COMPARED = ("name", "type", "parent", "region_id", "timezone", "daily_quota", "details")
TYPES = frozenset(OfficeType.values)
ZONES = frozenset(OfficeTimezone.values)


def parse(record: dict) -> tuple[str, dict, list[tuple[str, str]]]:
    """Clean values of one office record, its code, and warnings (none: unknown keys are kept)."""
    code = f.text(record, "code", max_length=32)
    data = {
        "code": code,
        "name": f.text(record, "name", max_length=200),
        "type": f.choice(record, "type", TYPES),
        "parent": f.text(record, "parent", required=False, nullable=True, max_length=32),
        "region": f.text(record, "region", max_length=64),
        "timezone": f.choice(record, "timezone", ZONES),
        "daily_quota": f.integer(record, "daily_quota", minimum=0),
    }
    if data["type"] == OfficeType.KANIM and data["parent"] is not None:
        raise f.RecordError("parent", "must be null for a Kanim")
    if data["type"] != OfficeType.KANIM and data["parent"] is None:
        raise f.RecordError("parent", f"is required for a {data['type']}: the Kanim that supervises it")
    if data["parent"] == code:
        raise f.RecordError("parent", "an office cannot be its own parent")
    if "city" in record:
        data["city"] = f.text(record, "city", max_length=100, blank=True)
    if "address" in record:
        data["address"] = f.text(record, "address", blank=True)
    for key in ("opens_at", "closes_at"):
        if key in record:
            data[key] = f.time_of_day(record, key).strftime("%H:%M")
    if "opens_at" in data and "closes_at" in data and data["opens_at"] >= data["closes_at"]:
        raise f.RecordError("closes_at", "must be after opens_at")
    data["details"] = f.unknown_keys(record, FORMAT_KEYS.union(EXTENSION_KEYS))
    return code, data, []


def existing(codes: set[str]) -> dict[str, dict]:
    """Offices already in the database, by code, in the shape ``parse`` returns."""
    if not codes:
        return {}
    rows = fetch(
        """SELECT o.code, o.id, o.name, o.type, p.code, r.name, o.timezone, o.daily_quota,
                  o.city, o.address, to_char(o.opens_at, 'HH24:MI'), to_char(o.closes_at, 'HH24:MI'),
                  o.details, o.region_id
           FROM offices_office o JOIN offices_region r ON r.id = o.region_id
           LEFT JOIN offices_office p ON p.id = o.parent_id
           WHERE o.code = ANY(%s)""", [list(codes)])
    return {
        row[0]: {"id": row[1], "code": row[0], "name": row[2], "type": row[3], "parent": row[4],
                 "region": row[5], "timezone": row[6], "daily_quota": row[7], "city": row[8],
                 "address": row[9], "opens_at": row[10], "closes_at": row[11],
                 "details": row[12] if isinstance(row[12], dict) else orjson.loads(row[12] or "{}"),
                 "region_id": row[13]}
        for row in rows
    }


def resolve(codes: set[str], known: Known) -> dict[str, Ref]:
    """Offices by code, from this batch first and the database second (one query)."""
    found = {code: ref for code in codes if (ref := known.get(KIND, code))}
    missing = codes - found.keys()
    if missing:
        for code, office_id, office_type, zone in fetch(
                "SELECT code, id, type, timezone FROM offices_office WHERE code = ANY(%s)", [list(missing)]):
            found[code] = Ref(office_id, 0, {"type": office_type, "timezone": zone})
    return found


def _regions(names: set[str]) -> dict[str, int]:
    """Region ids by the province name used in the records (any case); a known province is
    added when the database does not have it yet. There are a few dozen provinces."""
    by_name = {name.lower(): pk for pk, name in Region.objects.values_list("pk", "name")}
    provinces = {name.lower(): code for code, name in sample_regions()}
    ids = {}
    for name in names:
        if name.lower() in by_name:
            ids[name] = by_name[name.lower()]
        elif name.lower() in provinces:
            ids[name] = region_get_or_create(code=provinces[name.lower()], name=name).pk
    return ids


def load(items: list[Item], known: Known, *, update: bool) -> LoadResult:
    """Create new offices, leave identical ones, update or refuse changed ones, in a few statements."""
    result = LoadResult()
    codes = {item.key for item in items} | {item.data["parent"] for item in items if item.data["parent"]}
    state = existing(codes)
    regions = _regions({item.data["region"] for item in items})
    plans: dict[str, tuple[str, dict]] = {}  # code -> ("insert" | "update", values)
    batch_offices: dict[str, tuple[int, str]] = {}  # code -> (seq, type), defined in this batch
    for item in items:
        data = item.data
        parent = data["parent"]
        if parent is not None:
            # The Kanim must come earlier: in this batch, or already in the database.
            parent_type = batch_offices[parent][1] if parent in batch_offices else (
                state[parent]["type"] if parent in state else None)
            if parent_type is None:
                result.fail(item, "parent", f"no office with code {parent!r} before this record")
                continue
            if parent_type != OfficeType.KANIM:
                result.fail(item, "parent", f"office {parent!r} is a {parent_type}, not a Kanim")
                continue
        region_id = regions.get(data["region"])
        if region_id is None:
            result.fail(item, "region", f"unknown province {data['region'][:64]!r}")
            continue
        current = plans[item.key][1] if item.key in plans else state.get(item.key)
        values = {**data, "region_id": region_id}
        if current is None:
            plans[item.key] = ("insert", values)
            outcome = "created"
        else:
            differences = [key.removesuffix("_id") for key in (*COMPARED, *EXTENSION_KEYS)
                           if key in values and values[key] != current.get(key)]
            if not differences:
                result.ok(item, "unchanged")
                batch_offices[item.key] = (item.seq, current["type"])
                continue
            if not update:
                result.fail(item, differences[0],
                            f"office {item.key!r} exists with other values ({', '.join(differences)});"
                            " import with --update to change it")
                continue
            operation = plans[item.key][0] if item.key in plans else "update"
            plans[item.key] = (operation, {**current, **values})
            outcome = "updated"
        batch_offices[item.key] = (item.seq, data["type"])
        result.ok(item, outcome)
    _write(plans)
    for item, outcome, _key, _message in result.outcomes:
        if outcome != "failed":
            result.register(KIND, item.key, Ref(0, item.seq, {"type": item.data["type"]}))
    _resolve_ids(result)
    return result


COLUMNS = [("code", "varchar"), ("name", "varchar"), ("type", "varchar"), ("parent_code", "varchar"),
           ("region_id", "bigint"), ("city", "varchar"), ("timezone", "varchar"), ("address", "text"),
           ("opens_at", "time"), ("closes_at", "time"), ("daily_quota", "int"), ("details", "text")]


def _row(values: dict) -> tuple:
    return (values["code"], values["name"], values["type"], values["parent"], values["region_id"],
            values.get("city"), values["timezone"], values.get("address"), values.get("opens_at"),
            values.get("closes_at"), values["daily_quota"], orjson.dumps(values["details"]).decode())


def _write(plans: dict[str, tuple[str, dict]]) -> None:
    inserts = [values for operation, values in plans.values() if operation == "insert"]
    # Two waves: units whose Kanim is new in this batch go after it (the join finds its id).
    first = [v for v in inserts if v["parent"] is None or v["parent"] not in plans
             or plans[v["parent"]][0] != "insert"]
    second = [v for v in inserts if v not in first]
    for wave in (first, second):
        if wave:
            source, params = unnest(COLUMNS, [_row(v) for v in wave])
            fetch(f"""
                INSERT INTO offices_office (code, name, type, parent_id, region_id, city, timezone,
                    address, opens_at, closes_at, daily_quota, is_active, is_sample, details,
                    created_at, updated_at)
                SELECT v.code, v.name, v.type, p.id, v.region_id, coalesce(v.city, ''), v.timezone,
                       coalesce(v.address, ''), coalesce(v.opens_at, '08:00'), coalesce(v.closes_at, '16:00'),
                       v.daily_quota, true, false, v.details::jsonb, now(), now()
                FROM {source} LEFT JOIN offices_office p ON p.code = v.parent_code
                ON CONFLICT (code) DO NOTHING RETURNING id""", params)  # noqa: S608
    updates = [values for operation, values in plans.values() if operation == "update"]
    if updates:
        source, params = unnest(COLUMNS, [_row(v) for v in updates])
        fetch(f"""
            UPDATE offices_office o SET name = v.name, type = v.type, parent_id = p.id,
                region_id = v.region_id, city = coalesce(v.city, o.city), timezone = v.timezone,
                address = coalesce(v.address, o.address), opens_at = coalesce(v.opens_at, o.opens_at),
                closes_at = coalesce(v.closes_at, o.closes_at), daily_quota = v.daily_quota,
                details = v.details::jsonb, updated_at = now()
            FROM {source} LEFT JOIN offices_office p ON p.code = v.parent_code
            WHERE o.code = v.code RETURNING o.id""", params)  # noqa: S608


def _resolve_ids(result: LoadResult) -> None:
    refs = result.known.get(KIND, {})
    if refs:
        for code, office_id, zone in fetch(
                "SELECT code, id, timezone FROM offices_office WHERE code = ANY(%s)", [list(refs)]):
            old = refs[code]
            refs[code] = Ref(office_id, old.seq, {**old.facts, "timezone": zone})


def export(*, office_codes: set[str] | None = None, chunk_size: int = 2000) -> Iterator[dict]:
    """Offices as records, every Kanim before the units that refer to it."""
    offices = Office.objects.select_related("parent", "region").order_by(
        Case(When(type=OfficeType.KANIM, then=Value(0)), default=Value(1), output_field=IntegerField()),
        "code")
    if office_codes is not None:
        offices = offices.filter(Q(code__in=office_codes) | Q(units__code__in=office_codes)
                                 | Q(parent__code__in=office_codes)).distinct()
    for office in offices.iterator(chunk_size=chunk_size):
        record = {
            "kind": KIND, "code": office.code, "name": office.name, "type": office.type,
            "parent": office.parent.code if office.parent_id else None,
            "region": office.region.name, "timezone": office.timezone,
            "daily_quota": office.daily_quota,
        }
        if office.city:
            record["city"] = office.city
        if office.address:
            record["address"] = office.address
        record["opens_at"] = office.opens_at.strftime("%H:%M")
        record["closes_at"] = office.closes_at.strftime("%H:%M")
        for key, value in (office.details or {}).items():
            record.setdefault(key, value)
        yield record
