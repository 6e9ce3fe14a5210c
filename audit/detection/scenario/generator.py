"""Writes a whole scenario: records-v1 lines to one stream, the ground truth to another.

Order: offices (every Kanim before its units), staff, the long-lived accounts (travel agencies,
broker rings, bots) with their registrations, then one office-day after another, each as its
new accounts, its bookings and its events. Only one office-day is in memory at a time.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

import orjson

from .clock import Clock
from .day import DayWriter
from .parameters import ScenarioParameters
from .plan import Plan, plan_scenario
from .truth import Truth

LINE = orjson.OPT_APPEND_NEWLINE
SPOOLED = (
    "fictitious",
    "ring_bookings",
    "slot_handovers",
    "quota_raises",
    "shared_logins",
    "families",
    "agency_groups",
    "overtime",
    "priority_walk_ins",
)


@dataclass
class ScenarioResult:
    """What was written, and how fast."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    window: tuple[str, str] = ("", "")

    @property
    def records(self) -> int:
        return sum(self.counts.values())

    @property
    def records_per_second(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0


def _account_record(account: dict, clock: Clock) -> dict:
    record = {key: value for key, value in account.items() if not key.startswith("_")}
    record["created_at"] = clock.at(*account["_created"])
    return record


def _long_lived_accounts(plan: Plan) -> list[dict]:
    """Agencies, ring accounts and bots, registered before their first booking (bots log in once)."""
    wib = Clock("Asia/Jakarta")
    records = []
    owners = [(agency.account, agency.site.clock) for agency in plan.agencies]
    owners += [(account, ring.site.clock) for ring in plan.rings for account in ring.accounts]
    owners += [(bot.account, wib) for bot in plan.bots]
    bots = {id(bot.account) for bot in plan.bots}
    for account, clock in owners:
        record = _account_record(account, clock)
        records.append(record)
        day, second = account["_created"]
        records.append(
            {
                "kind": "event",
                "at": record["created_at"],
                "actor": {"account": record["ref"]},
                "office": None,
                "action": "ACCOUNT_REGISTER",
                "booking": None,
                "ip": record["ip"],
                "details": {"device": record["device"]},
            }
        )
        if id(account) in bots:  # a bot logs in once, right after registering, and never again
            records.append(
                {
                    "kind": "event",
                    "at": clock.at(day, second + 45),
                    "actor": {"account": record["ref"]},
                    "office": None,
                    "action": "ACCOUNT_LOGIN",
                    "booking": None,
                    "ip": record["ip"],
                    "details": {"device": record["device"]},
                }
            )
    return records


def scenario_generate(
    params: ScenarioParameters,
    *,
    output: IO[bytes],
    truth: IO[bytes] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ScenarioResult:
    """Write the scenario ``params`` describes to ``output`` (JSON lines) and its ground truth to ``truth``.

    ``progress`` is called with the number of bookings each office-day added.
    """
    began = time.perf_counter()
    plan = plan_scenario(params)
    book = Truth()
    sections = {name: book.spool() for name in SPOOLED}
    writer = DayWriter(plan, sections)
    counts = {"office": 0, "staff": 0, "account": 0, "booking": 0, "event": 0}
    write, dumps = output.write, orjson.dumps

    def emit(records: list[dict]) -> None:
        for record in records:
            counts[record["kind"]] += 1
        write(b"".join(dumps(record, option=LINE) for record in records))

    try:
        emit([site.record() for site in plan.sites])
        emit([staff.record() for staff in plan.staff])
        emit(_long_lived_accounts(plan))
        for day in plan.days:
            for site in plan.active_sites:
                accounts, bookings, events = writer.cell(site, day)
                emit(accounts)
                emit(bookings)
                emit(events)
                if progress is not None and bookings:
                    progress(len(bookings))
        result = ScenarioResult(
            counts=counts,
            seconds=time.perf_counter() - began,
            window=(_iso(plan.days[0]), _iso(plan.days[-1])),
        )
        if truth is not None:
            book.document = _truth_document(plan, writer, sections, result)
            book.write(truth)
    finally:
        book.close()
    return result


def _iso(day: int) -> str:
    return dt.date.fromordinal(day).isoformat()


def _truth_document(plan: Plan, writer: DayWriter, sections: dict, result: ScenarioResult) -> dict:
    params = plan.params
    fictitious = sections["fictitious"].count
    return {
        "format": "records-v1 scenario ground truth",
        "seed": params.seed,
        "size": params.size,
        "parameters": params.as_dict(),
        "window": {"start": result.window[0], "end": result.window[1], "days": len(plan.days)},
        "offices": [site.code for site in plan.active_sites],
        "counts": dict(result.counts),
        "collusion": {
            "rings": [
                {
                    "ring": ring.name,
                    "office": ring.site.code,
                    "officers": [staff.nip for staff in ring.colluders],
                    "head": ring.site.head.nip if ring.head_colludes else None,
                    "broker_nik": ring.broker_nik,
                    "broker_name": ring.broker_name,
                    "broker_phone": ring.broker_phone,
                    "ip": ring.ip,
                    "devices": ring.devices,
                    "accounts": [account["ref"] for account in ring.accounts],
                }
                for ring in plan.rings
            ],
            "ring_bookings": sections["ring_bookings"],
            "slot_handovers": sections["slot_handovers"],
            "quota_raises": sections["quota_raises"],
            "shared_logins": sections["shared_logins"],
        },
        "bots": {
            "accounts": [
                {
                    "account": bot.account["ref"],
                    "attempts": bot.attempts,
                    "band": bot.band,
                    "device": bot.device,
                    "ip": bot.ip,
                    "seconds_between_attempts": bot.step,
                }
                for bot in plan.bots
            ],
            "devices": sorted({bot.device for bot in plan.bots}),
            "ips": sorted({bot.ip for bot in plan.bots}),
        },
        "fictitious": {
            "total": fictitious,
            "share": round(fictitious / result.counts["booking"], 5) if result.counts["booking"] else 0,
            "by_kind": dict(sorted(writer.fictitious_by_kind.items())),
            "bookings": sections["fictitious"],
        },
        "normal": {
            "agencies": [
                {
                    "account": agency.account["ref"],
                    "license": agency.account["agency_license"],
                    "office": agency.site.code,
                }
                for agency in plan.agencies
            ],
            "agency_groups": sections["agency_groups"],
            "families": sections["families"],
            "small_units": [
                {
                    "office": site.code,
                    "officer": site.officers[0].nip,
                    "served": writer.small_unit_counts.get(site.code, [0, 0])[1],
                    "served_by_officer": writer.small_unit_counts.get(site.code, [0, 0])[0],
                }
                for site in plan.active_sites
                if site.is_small_unit
            ],
            "directive": {
                "issued": _iso(plan.directive_day) if plan.directive_day else None,
                "offices": sorted(plan.directive_sites),
                "dates": [_iso(day) for day in sorted(plan.directive_days)],
            },
            "overtime": sections["overtime"],
            "priority_walk_ins": sections["priority_walk_ins"],
        },
    }
