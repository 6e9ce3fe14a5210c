"""The content hash computed in Python (audit.hashing) is the database's, value for value.

The records importer supplies each row's hash instead of letting the trigger compute it, so
Python must write PostgreSQL's ``jsonb`` text exactly. A seeded generator (the same cases on
every run) throws awkward values at both: Unicode, control characters, quotes and
backslashes, nested details with keys of every length, decimals and exponents, big integers,
nulls, IPv4 and every shape of IPv6, timestamps with and without microseconds.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import random

import orjson
import pytest
from django.db import connection

from audit.hashing import HASHED_COLUMNS, content_hash, host_text, jsonb_text, number_text

SEED = 20261129
CASES = 400
ALPHABET = ("a", "Z", "0", " ", "-", "_", ".", ":", '"', "\\", "/", "\t", "\n", "\r", "\b", "\f",
            "\x01", "\x1f", "\x7f", "é", "ß", "€", "😀", "\u2028", "\u00ad", "ü", "中", "'", "{", "}")
IPS = ("::", "::1", "::2", "1::", "1::2", "::ffff:1.2.3.4", "::ffff:0:1", "::102:304", "::ffff:0:0",
       "1:0:0:1:0:0:0:1", "1:0:0:2:0:0:3:4", "2001:db8::1", "fe80::", "0:0:1::", "0:0:0:1::",
       "1:0:2:3:4:5:6:7", "64:ff9b::1.2.3.4", "10.0.0.1", "0.0.0.0", "255.255.255.255")  # noqa: S104  (addresses to print, not to bind)


def random_text(rng: random.Random, longest: int = 12) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(longest + 1)))


def random_number(rng: random.Random):
    return rng.choice([
        0, -1, 7, 2**53 + 1, 2**63 - 1, -(2**63), 2**64 - 1, 0.0, -0.0, 1.5, 0.1 + 0.2, 1e-7, 1e16,
        1.2345678901234568e17, 5e-324, 1.7976931348623157e308, -2.5e-5, 100.0, 1e22,
        rng.uniform(-1e6, 1e6), rng.randrange(-10**12, 10**12), rng.random() * 10 ** rng.randrange(-30, 30),
    ])


def random_json(rng: random.Random, depth: int = 0):
    choice = rng.randrange(8 if depth < 3 else 5)
    if choice == 0:
        return None
    if choice == 1:
        return rng.random() < 0.5
    if choice == 2:
        return random_number(rng)
    if choice in (3, 4):
        return random_text(rng)
    if choice == 5:
        return [random_json(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {random_text(rng, 6): random_json(rng, depth + 1) for _ in range(rng.randrange(6))}


def random_moment(rng: random.Random) -> dt.datetime:
    moment = dt.datetime(rng.choice([1, 999, 1970, 2017, 2026, 9999]), rng.randrange(1, 13), rng.randrange(1, 29),
                         rng.randrange(24), rng.randrange(60), rng.randrange(60),
                         rng.choice([0, 1, 999999, rng.randrange(10**6)]), tzinfo=dt.UTC)
    zone = dt.timezone(dt.timedelta(hours=rng.choice([0, 7, 8, 9])))
    return moment.astimezone(zone) if moment.year < 9999 else moment


def random_row(rng: random.Random) -> dict:
    return {
        "id": rng.choice([1, rng.randrange(1, 2**40), 2**63 - 1]),
        "at": random_moment(rng), "recorded_at": random_moment(rng),
        "actor_type": rng.choice(["staff", "account", "system", random_text(rng)]),
        "actor_id": random_text(rng, 20), "actor_role": rng.choice(["", "OFFICER", random_text(rng)]),
        "actor_user_id": rng.choice([None, rng.randrange(1, 2**40)]),
        "office_id": rng.choice([None, rng.randrange(1, 10**6)]),
        "action": random_text(rng, 10), "target_type": random_text(rng, 6), "target_id": random_text(rng, 20),
        # The importer sends an IPv6 address as Python writes it; the database reads it and prints
        # its own form, which the hash takes.
        "ip": rng.choice([None, *(str(ipaddress.ip_address(ip)) for ip in IPS)]),
        "user_agent": random_text(rng, 30), "request_id": random_text(rng, 10),
        "details": {random_text(rng, 8): random_json(rng) for _ in range(rng.randrange(5))},
        "source": rng.choice(["app", "import"]), "txid": rng.randrange(1, 2**40),
        "import_key": rng.choice([None, rng.randbytes(32)]),
    }


SQL_ARGUMENTS = ", ".join(f"%s::{kind}" for kind in (
    "bigint", "timestamptz", "timestamptz", "text", "text", "text", "bigint", "bigint", "text", "text",
    "text", "inet", "text", "text", "jsonb", "text", "bigint", "bytea"))


def database_hash(row: dict) -> bytes:
    values = [orjson.dumps(row["details"]).decode() if column == "details" else row[column]
              for column in HASHED_COLUMNS]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT audit_event_content_hash({SQL_ARGUMENTS})", values)
        return bytes(cursor.fetchone()[0])


def test_python_and_the_database_agree_on_random_awkward_rows(db):
    rng = random.Random(SEED)
    disagreements = []
    for case in range(CASES):
        row = random_row(rng)
        if content_hash(row) != database_hash(row):
            disagreements.append((case, row))
    assert disagreements == []


@pytest.mark.parametrize("value", [
    {}, {"b": 1, "aa": 2, "a": {"ccc": [], "é": 1, "z": None}}, ["x", 1.50, True, False, None],
    "tab\there \"quoted\" back\\slash \x01 \x7f é 😀", 1e-7, 100.0, -0.0, 2**64 - 1, 1e300,
])
def test_jsonb_text_is_what_the_database_prints(db, value):
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::jsonb::text", [orjson.dumps(value).decode()])
        assert jsonb_text(value) == cursor.fetchone()[0]


@pytest.mark.parametrize("address", IPS)
def test_host_text_is_what_the_database_prints(db, address):
    with connection.cursor() as cursor:
        cursor.execute("SELECT host(%s::inet)", [address])
        assert host_text(str(ipaddress.ip_address(address))) == cursor.fetchone()[0]


def test_numbers_are_written_without_an_exponent():
    assert [number_text(v) for v in (1e-7, 1e16, -0.0, 100.0, 7)] == [
        "0.0000001", "10000000000000000", "0.0", "100.0", "7"]
