"""What a detector is, what it is given, and what it proposes.

A detector is a small module with a stable ``name``, a ``category``, a ``scope`` and default
parameters; ``detect(ctx)`` pushes the set work into PostgreSQL and turns the few rows that
come back into ``Draft`` findings, each with a score from 0 to 1, one sentence and its evidence
(the figures, the baseline they were compared to, the events and bookings behind them).

Scopes: ``network`` detectors see every office at once (accounts and clusters cross office
and region lines); ``region`` detectors see one region's offices, so a run spreads them over
workers; ``finish`` detectors run once at the end, over the other detectors' findings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.conf import settings
from django.db import connections

from passport_portal.planner import planned_without_jit

# A run's parts: the network part (broker clusters), the accounts part (network-wide detectors
# that need no clusters, worked beside the network part by another worker), and once the
# clusters are stored the clustered part (network-wide detectors that read them) beside one
# part per region; then the finish, which reads what they all found. A part is named by its
# scope, a region part by ``region:<id>``.
NETWORK = "network"
ACCOUNTS = "accounts"
CLUSTERED = "clustered"
REGION = "region"
FINISH = "finish"
REGION_PREFIX = f"{REGION}:"
#: The parts sent when a run starts; every other part reads the clusters and waits for them.
STARTING_PARTS = (NETWORK, ACCOUNTS)
#: The scopes whose detectors read the clusters the network part stored.
READS_CLUSTERS = frozenset({CLUSTERED, REGION, FINISH})


def run_parts(region_ids: Iterable[int]) -> list[str]:
    """Every part of a run over these regions, in the order a foreground run works them."""
    return [*STARTING_PARTS, CLUSTERED, *(f"{REGION_PREFIX}{region}" for region in region_ids)]


def part_scope(part: str) -> str:
    """The scope of a part's detectors."""
    return REGION if part.startswith(REGION_PREFIX) else part


def part_region(part: str) -> int | None:
    """The region a region part covers (None for a network-wide part)."""
    return int(part.removeprefix(REGION_PREFIX)) if part.startswith(REGION_PREFIX) else None


def parts_sent_after(part: str, missing: Iterable[str]) -> list[str]:
    """The parts, of those not done, that ``part`` sends once it is done: the network part sends
    every part that waits for its clusters."""
    return [name for name in missing if name not in STARTING_PARTS] if part == NETWORK else []


@dataclass(frozen=True)
class Allowlist:
    """The allowlist in force, as arrays ready for SQL parameters."""

    accounts: list[str] = field(default_factory=list)
    agency_licenses: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    ips: list[str] = field(default_factory=list)
    devices: list[str] = field(default_factory=list)


@dataclass
class Context:
    """What one detector sees in one part of a run: the window, the offices, its parameters."""

    window_from: dt.datetime
    window_to: dt.datetime
    params: dict[str, Any]
    allow: Allowlist = field(default_factory=Allowlist)
    office_ids: list[int] | None = None  # None: every office
    run_id: int | None = None
    clusters: dict[int, str] = field(default_factory=dict)  # account id → cluster key
    scratch: dict[str, Any] = field(default_factory=dict)  # what ``detect`` hands to ``persist``

    @property
    def sql_params(self) -> dict[str, Any]:
        """Parameters every detector's SQL may use by name."""
        cluster_ids = list(self.clusters)
        return {
            "window_from": self.window_from, "window_to": self.window_to,
            "office_ids": self.office_ids, "allow_accounts": self.allow.accounts,
            "allow_licenses": self.allow.agency_licenses, "allow_phones": self.allow.phones,
            "allow_emails": self.allow.emails, "allow_ips": self.allow.ips,
            "allow_devices": self.allow.devices, "cluster_account_ids": cluster_ids,
            "cluster_keys": [self.clusters[i] for i in cluster_ids], **self.params,
        }

    def rows(self, sql: str, extra: dict[str, Any] | None = None) -> list[tuple]:
        """Run one analysis query on ``settings.ANALYSIS_DATABASE`` (the replica when set)."""
        return analysis_rows(sql, {**self.sql_params, **(extra or {})})

    def own_rows(self, sql: str, extra: dict[str, Any] | None = None) -> list[tuple]:
        """Read detection's own tables on the primary, where this run's findings were just written."""
        return analysis_rows(sql, {**self.sql_params, **(extra or {})}, using="default")


def analysis_rows(sql: str, params: dict[str, Any] | list, *, using: str | None = None) -> list[tuple]:
    """Every row of one analysis query, planned without JIT (passport_portal/planner.py): the
    detectors' queries are estimated costly enough for it, and compiling them took longer than
    running them."""
    using = using or settings.ANALYSIS_DATABASE
    with planned_without_jit(using), connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# SQL fragments shared by detectors. Each expects the named parameters of ``Context.sql_params``.
#: The offices of this part (all offices when ``office_ids`` is null).
def in_offices(column: str) -> str:
    return f"(%(office_ids)s::bigint[] IS NULL OR {column} = ANY(%(office_ids)s::bigint[]))"


#: Accounts exempt from broker and bot suspicion: licensed agencies and the allowlist.
def exempt_account(alias: str) -> str:
    return (f"({alias}.agency_license <> '' AND %(exempt_licensed_agencies)s"
            f" OR {alias}.agency_license = ANY(%(allow_licenses)s::text[])"
            f" OR {alias}.ref = ANY(%(allow_accounts)s::text[]))")


#: A phone as digits with the country code (08… and +628… agree).
def phone_key(column: str) -> str:
    return f"regexp_replace(regexp_replace({column}, '[^0-9]', '', 'g'), '^0', '62')"


#: Counter work on bookings: one row per staff step, with the office-local day and time.
COUNTER_STEPS = ("CHECK_IN", "VERIFY_DOCUMENTS", "CAPTURE_BIOMETRICS", "INTERVIEW", "APPROVE", "REJECT",
                 "OVERRIDE", "PRINT", "HAND_OVER", "WALK_IN_INSERT")


def steps_cte(actions: tuple[str, ...] = COUNTER_STEPS) -> str:
    """A ``steps`` CTE of staff actions on bookings at this part's offices in the window."""
    listed = ",".join(f"'{action}'" for action in actions)
    return f"""steps AS (
    SELECT e.id AS event_id, e.office_id, e.at, e.at AT TIME ZONE o.timezone AS local_at,
           (e.at AT TIME ZONE o.timezone)::date AS day, e.target_id AS booking_ref, e.actor_id AS nip,
           e.action, e.details, o.opens_at, o.closes_at
    FROM audit_event e JOIN offices_office o ON o.id = e.office_id
    WHERE e.at BETWEEN %(window_from)s AND %(window_to)s AND e.actor_type = 'staff'
      AND e.target_type = 'booking' AND e.action IN ({listed}) AND {in_offices('e.office_id')})"""  # noqa: S608


#: The cluster of each clustered account, from the run's network part.
CLUSTERS_CTE = """clusters AS (
    SELECT * FROM unnest(%(cluster_account_ids)s::bigint[], %(cluster_keys)s::text[])
        AS c(account_id, cluster))"""


@dataclass(frozen=True)
class Draft:
    """A finding as a detector proposes it; ``key`` names its subject within the detector."""

    key: str
    score: float
    subject_type: str
    subject_id: str
    summary: str
    evidence: dict[str, Any]
    subjects: list[dict[str, str]] = field(default_factory=list)
    office_id: int | None = None
    staff_nips: list[str] = field(default_factory=list)
    account_refs: list[str] = field(default_factory=list)
    booking_refs: list[str] = field(default_factory=list)
    event_ids: list[int] = field(default_factory=list)
    window_from: dt.datetime | None = None
    window_to: dt.datetime | None = None
    category: str | None = None  # when one detector reports two kinds of subject (an officer, a broker)


class Detector:
    """Base of every detector: name, category, scope, defaults and ``detect``."""

    name: ClassVar[str]
    category: ClassVar[str]
    scope: ClassVar[str] = REGION
    defaults: ClassVar[dict[str, Any]] = {}

    def detect(self, ctx: Context) -> Iterable[Draft]:
        """The findings of this detector in ``ctx`` (reads only)."""
        raise NotImplementedError

    def persist(self, ctx: Context) -> None:
        """Write what the detector keeps besides findings, in the part's transaction (rarely needed)."""


def squash(value: float, half: float) -> float:
    """Map a positive strength to a score in [0, 1]: ``half`` scores 0.5, more climbs towards 1."""
    if value <= 0:
        return 0.0
    return round(value / (value + half), 4)
