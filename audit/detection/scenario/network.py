"""The offices a scenario runs in and the people who work there.

Offices come from the sample network (``offices.sample_network``), so the office records the
scenario writes are identical to the seeded ones and importing them into a seeded database
changes nothing. Staff are invented per office: officers in proportion to the daily quota,
one office head, and a few directorate supervisors and internal auditors.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from offices.sample_network import PROVINCES, SampleOffice, sample_offices

from . import identities
from .clock import Clock, seconds_of


@dataclass
class Staff:
    """A member of staff as the scenario knows them."""

    nip: str
    name: str
    role: str
    office: str
    active_from: dt.date

    def record(self) -> dict:
        return {
            "kind": "staff",
            "nip": self.nip,
            "name": self.name,
            "office": self.office,
            "role": self.role,
            "active_from": self.active_from.isoformat(),
            "active_until": None,
        }


@dataclass
class Site:
    """One office in the scenario: its sample definition, hours in seconds, Wi-Fi address and staff.

    ``officers[0]`` is the front desk (check-in, walk-ins, printing, hand-over) and is never
    off, so hand-overs planned for later days always have someone to do them.
    """

    sample: SampleOffice
    index: int
    region: str
    clock: Clock
    opens: int
    closes: int
    wifi_ip: str
    active: bool  # bookings are generated here (parents of chosen units are written but idle)
    officers: list[Staff] = field(default_factory=list)
    head: Staff | None = None

    @property
    def code(self) -> str:
        return self.sample.code

    @property
    def quota(self) -> int:
        return self.sample.daily_quota

    @property
    def is_small_unit(self) -> bool:
        return self.sample.type == "UKK"

    def record(self) -> dict:
        """The office record, identical to what the sample network seeds."""
        s = self.sample
        return {
            "kind": "office",
            "code": s.code,
            "name": s.name,
            "type": s.type,
            "parent": s.parent_code,
            "region": self.region,
            "timezone": s.timezone,
            "daily_quota": s.daily_quota,
            "city": s.city,
            "opens_at": s.opens_at,
            "closes_at": s.closes_at,
        }


class UnknownOffice(ValueError):
    """An office code that is not in the sample network."""


def sites_for(codes: tuple[str, ...] | None) -> list[Site]:
    """The chosen offices (all by default) plus the Kanim of any chosen unit, Kanim first."""
    every = sample_offices()
    by_code = {office.code: office for office in every}
    chosen = set(by_code) if codes is None else set(codes)
    unknown = sorted(chosen - by_code.keys())
    if unknown:
        raise UnknownOffice(f"not in the sample network: {', '.join(unknown)}")
    needed = chosen | {by_code[code].parent_code for code in chosen if by_code[code].parent_code}
    regions = {code: name for code, name, _zone, _cities in PROVINCES}
    sites = []
    for office in every:  # sample order: every Kanim before the units
        if office.code in needed:
            index = len(sites)
            sites.append(
                Site(
                    sample=office,
                    index=index,
                    region=regions[office.region_code],
                    clock=Clock(office.timezone),
                    opens=seconds_of(office.opens_at),
                    closes=seconds_of(office.closes_at),
                    wifi_ip=f"103.{10 + index // 200}.{index % 200 + 20}.{(index * 37) % 200 + 10}",
                    active=office.code in chosen,
                )
            )
    return sites


def officer_count(site: Site) -> int:
    """Counter officers: about one per 25 applicants a day; a UKK has two (one serves nearly all)."""
    if site.is_small_unit:
        return 2
    return max(3, math.ceil(site.quota / 25))


def staff_roster(sites: list[Site], *, rng: random.Random, start: dt.date) -> list[Staff]:
    """Fill every site's officers and head; returns all staff, directorate people included."""
    everyone: list[Staff] = []
    used: set[str] = set()

    def person(role: str, office: str) -> Staff:
        female = rng.random() < 0.45
        born = identities.birth_date(rng, on=start, age=(24, 56))
        appointed = max(
            born.replace(day=1) + dt.timedelta(days=23 * 366),
            start - dt.timedelta(days=rng.randint(400, 9000)),
        )
        appointed = min(appointed, start - dt.timedelta(days=90))
        serial = len(everyone) + 1
        nip = identities.nip(rng, born=born, appointed=appointed, female=female, serial=serial)
        while nip in used:
            serial += 997
            nip = identities.nip(rng, born=born, appointed=appointed, female=female, serial=serial)
        used.add(nip)
        staff = Staff(
            nip=nip,
            name=identities.person_name(rng, female=female),
            role=role,
            office=office,
            active_from=max(appointed, start - dt.timedelta(days=rng.randint(60, 2000))),
        )
        everyone.append(staff)
        return staff

    for site in sites:
        site.head = person("OFFICE_HEAD", site.code)
        site.officers = [person("OFFICER", site.code) for _ in range(officer_count(site))]
    directorate = next((s for s in sites if s.code == "KANIM-JAKARTA-SELATAN"), sites[0])
    for role in ("SUPERVISOR", "SUPERVISOR", "AUDITOR", "AUDITOR"):
        person(role, directorate.code)
    return everyone
