"""The scenario-wide plan: window, daily volumes, the clearance directive, broker rings, travel
agencies and bots.

Everything here is small (a few entries per office and day, or per planted actor) and decided
once, before any day is generated; the days themselves are generated one at a time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from dataclasses import dataclass, field

from . import identities
from .clock import is_weekday
from .network import Site, Staff, sites_for, staff_roster
from .parameters import CAPITAL_REGION, ScenarioParameters

MAX_FILL = 0.97
BOT_CELL_SHARE = 0.4  # at most this share of an office's day goes to bots
BOT_BANDS = ((50, 100), (100, 1_000), (1_000, 4_000))
BOT_BIG_ATTEMPTS = 4_000  # the one account of 2017 that applied 4,000 times in one registration
FAKE_EVERY = (17, 20)  # a bot's attempt k uses a fake identity when k % 20 < 17 (85%)
FICTITIOUS_BATCH = 6  # other fictitious applications come in groups of at least this many


class ScenarioTooLarge(ValueError):
    """The bookings asked for do not fit the offices' quotas in the window."""


def is_fake_attempt(k: int) -> bool:
    return k % FAKE_EVERY[1] < FAKE_EVERY[0]


def bot_fake_kind(k: int, attempts: int) -> str:
    """How a bot's fake attempt ``k`` is fake: in every twenty, six invalid NIKs, six NIKs that
    disagree with the birth date, then five consecutive NIKs (a lone last one would be no run)."""
    position = k % FAKE_EVERY[1]
    if position < 6:
        return "INVALID_NIK"
    if position < 12 or (position == 12 and k == attempts - 1):
        return "NIK_BIRTH_MISMATCH"
    return "CONSECUTIVE_NIK"


@dataclass
class Ring:
    """A broker (calo) with several linked accounts and one or two officers on the inside."""

    name: str
    site: Site
    colluders: list[Staff]
    head_colludes: bool
    accounts: list[dict]
    broker_nik: str
    broker_name: str
    broker_phone: str
    ip: str
    devices: list[str]


@dataclass
class Agency:
    """A licensed hajj and umrah travel agency booking collective sessions."""

    account: dict
    site: Site


@dataclass
class Bot:
    """An account that books at machine speed during one registration."""

    account: dict
    band: str
    device: str
    ip: str
    registered: tuple[int, int]  # (day ordinal, seconds) of the registration
    step: int  # seconds between attempts
    attempts: int = 0

    def attempt_at(self, k: int) -> tuple[int, int]:
        """When attempt ``k`` was made: ``step`` apart, with a deterministic jitter."""
        day, second = self.registered
        return day, second + 90 + k * self.step + (k * 7919) % max(1, self.step // 2)


@dataclass
class Plan:
    """All decisions made before the first day: read by the day generator."""

    params: ScenarioParameters
    sites: list[Site]
    staff: list[Staff]
    days: list[int]
    volumes: dict[tuple[int, str], int]
    fictitious_other: dict[tuple[int, str], int]
    directive_day: int | None
    directive_days: set[int]
    directive_sites: set[str]
    rings: list[Ring]
    ring_by_site: dict[str, list[Ring]]
    agencies: list[Agency]
    bots: list[Bot]
    bot_cells: dict[tuple[int, str], list[tuple[int, int]]] = field(default_factory=dict)  # (bot, k)
    fictitious_total: int = 0

    @property
    def active_sites(self) -> list[Site]:
        return [site for site in self.sites if site.active]

    @property
    def end(self) -> int:
        return self.days[-1]

    def in_directive(self, site: Site, day: int) -> bool:
        return site.code in self.directive_sites and day in self.directive_days

    def works(self, site: Site, day: int) -> bool:
        """Open on ``day``: a weekday, or a weekend day of the clearance directive."""
        return is_weekday(day) or self.in_directive(site, day)

    def quota(self, site: Site, day: int) -> int:
        if not self.works(site, day):
            return 0
        if self.in_directive(site, day):
            return round(site.quota * self.params.directive_quota_factor)
        return site.quota

    def closes(self, site: Site, day: int) -> int:
        extra = self.params.directive_extra_hours * 3600 if self.in_directive(site, day) else 0
        return site.closes + extra

    def agency_books(self, agency: Agency, day: int) -> bool:
        """An agency brings a group every few working days (``agency_group_rate`` of them), each
        agency on its own rhythm."""
        every = max(1, round(1 / self.params.agency_group_rate)) if self.params.agency_group_rate > 0 else 0
        if not every or not is_weekday(day):
            return False
        return (day - self.days[0] + self.agencies.index(agency)) % every == 0

    def account_ref(self, key: str) -> str:
        """An opaque, seed-dependent account reference: it says nothing about the account's role."""
        digest = hashlib.blake2b(f"{self.params.seed}/{key}".encode(), digest_size=8).hexdigest()
        return f"AC{digest.upper()}"


def _window(params: ScenarioParameters, sites: list[Site]) -> list[int]:
    start = params.start.toordinal()
    if params.days is not None:
        if params.days < 1:
            raise ScenarioTooLarge("the window needs at least one day")
        return list(range(start, start + params.days))
    daily = sum(site.quota for site in sites if site.active) * params.fill
    needed = max(1, math.ceil(params.bookings / daily))
    days, day = [], start
    while needed:
        days.append(day)
        needed -= is_weekday(day)
        day += 1
    return days


def _directive(params: ScenarioParameters, sites: list[Site], days: list[int], rng: random.Random):
    eligible = [site for site in sites if site.active and not site.is_small_unit]
    if params.directive_office_share <= 0 or not eligible or len(days) < 3:
        return None, set(), set()
    issued = days[0] + int(0.4 * len(days))
    while not is_weekday(issued) and issued > days[0]:
        issued -= 1
    period = {day for day in range(issued + 1, issued + 1 + params.directive_days) if day <= days[-1]}
    count = max(1, round(params.directive_office_share * len(eligible)))
    chosen = {site.code for site in rng.sample(eligible, min(count, len(eligible)))}
    return issued, period, chosen


def _cumulative(weights: list[tuple[tuple[int, str], float]], total: int) -> dict[tuple[int, str], int]:
    """Split ``total`` over cells in proportion to their weights, exactly, by cumulative rounding."""
    whole = sum(weight for _cell, weight in weights)
    shares, running, given = {}, 0.0, 0
    for cell, weight in weights:
        running += weight
        upto = round(total * running / whole) if whole else 0
        shares[cell] = upto - given
        given = upto
    return shares


def _ring_account(plan_ref, ring_no: int, j: int, *, phones, devices, ip, handle, start, rng) -> dict:
    return {
        "kind": "account",
        "ref": plan_ref(f"ring/{ring_no}/{j}"),
        "email": f"{handle}{rng.randint(10, 99)}{j}@{rng.choice(identities.MAIL_DOMAINS)}",
        "phone": phones[j // 2],
        "created_at": None,
        "ip": ip if j % 2 == 0 else identities.home_ip(rng),
        "device": devices[(j + 1) // 2],
        "agency_license": None,
        "_created": (start - rng.randint(30, 120), rng.randint(7, 22) * 3600),
    }


def _rings(plan: Plan, rng: random.Random) -> None:
    params = plan.params
    eligible = sorted(
        (site for site in plan.active_sites if not site.is_small_unit and len(site.officers) >= 4),
        key=lambda site: (-site.quota, site.index),
    )
    if not eligible:
        return
    start = plan.days[0]
    for number in range(params.rings):
        site = eligible[number % len(eligible)]
        insiders = site.officers[1:]
        colluders = rng.sample(insiders, 2 if rng.random() < 0.4 and len(insiders) > 4 else 1)
        count = rng.randint(*params.ring_accounts)
        phones = [identities.phone(rng) for _ in range((count + 1) // 2 + 1)]
        devices = [identities.device(rng) for _ in range(count // 2 + 2)]
        ip = identities.home_ip(rng)
        female = rng.random() < 0.3
        broker_name = identities.person_name(rng, female=female)
        handle = broker_name.split()[0].lower() + rng.choice(("jaya", "express", "cepat", "paspor", "mitra"))
        accounts = [
            _ring_account(
                plan.account_ref,
                number,
                j,
                phones=phones,
                devices=devices,
                ip=ip,
                handle=handle,
                start=start,
                rng=rng,
            )
            for j in range(count)
        ]
        province = site.sample.region_code
        born = identities.birth_date(rng, on=dt.date.fromordinal(start), age=(28, 55))
        ring = Ring(
            name=f"ring-{number + 1}",
            site=site,
            colluders=colluders,
            head_colludes=number == 0 or rng.random() < 0.5,
            accounts=accounts,
            broker_nik=identities.nik(rng, province=province, born=born, female=female),
            broker_name=broker_name,
            broker_phone=phones[0],
            ip=ip,
            devices=devices,
        )
        plan.rings.append(ring)
        plan.ring_by_site.setdefault(site.code, []).append(ring)


def _agencies(plan: Plan, rng: random.Random) -> None:
    eligible = sorted(
        (site for site in plan.active_sites if site.quota >= 80 and not site.is_small_unit),
        key=lambda site: (-site.quota, site.index),
    )
    if not eligible:
        return
    start = plan.days[0]
    for number in range(plan.params.agencies):
        site = eligible[(number * 3) % len(eligible)]
        name = rng.choice(("Al", "Amanah", "Baitullah", "Barokah", "Madinah", "Safa", "Marwah", "Zamzam"))
        slug = f"{name.lower()}{rng.choice(('tour', 'travel', 'wisata'))}{number + 1}"
        account = {
            "kind": "account",
            "ref": plan.account_ref(f"agency/{number}"),
            "email": f"umrah@{slug}.co.id",
            "phone": identities.phone(rng),
            "created_at": None,
            "ip": identities.home_ip(rng),
            "device": identities.device(rng),
            "agency_license": f"PPIU {rng.randint(10, 999)}/{rng.randint(2012, 2017)}",
            "_created": (start - rng.randint(60, 400), rng.randint(8, 16) * 3600),
        }
        plan.agencies.append(Agency(account=account, site=site))


def _bots(plan: Plan, rng: random.Random) -> None:
    params = plan.params
    active = plan.active_sites
    targets = [
        site for site in active if site.code in CAPITAL_REGION or site.sample.parent_code in CAPITAL_REGION
    ]
    if not targets:
        targets = sorted((s for s in active if not s.is_small_unit), key=lambda s: (-s.quota, s.index))[:3]
    if not targets:
        return
    fake_target = plan.fictitious_total * params.bot_share
    total = round(fake_target * FAKE_EVERY[1] / FAKE_EVERY[0])
    if total < 10:
        return
    # 2017's shape, scaled to the scenario: one account with 4,000 attempts in one registration,
    # the others drawn from the bands; the big one always stays the biggest.
    nominal = [BOT_BIG_ATTEMPTS] + [
        rng.randint(*BOT_BANDS[band])
        for band, count in enumerate(params.bot_band_accounts)
        for _ in range(count)
    ]
    labels = ["single-registration"] + [
        f"{lo}-{hi}"
        for band, count in enumerate(params.bot_band_accounts)
        for lo, hi in [BOT_BANDS[band]]
        for _ in range(count)
    ]
    scale = min(1.0, total / sum(nominal))  # never beyond 2017: the rest is left to other fakes
    wanted = [max(5, round(n * scale)) for n in nominal]
    wanted[0] = max(wanted[0], max(wanted[1:], default=0) + 1)
    devices = [identities.device(rng) for _ in range(3)]
    ips = [identities.hosting_ip(rng) for _ in range(3)]
    start, end = plan.days[0], plan.days[-1]
    used: dict[tuple[int, str], int] = {}
    for number, (attempts, band) in enumerate(zip(wanted, labels, strict=True)):
        # The big one registers two days before the window; the others at random within it.
        registered = start - 2 if number == 0 else rng.randint(start - 3, max(start - 1, end - 8))
        step = rng.randint(1, 3) if number == 0 else rng.randint(3, 8)
        account = {
            "kind": "account",
            "ref": plan.account_ref(f"bot/{number}"),
            "email": f"{rng.choice(('user', 'akun', 'antri', 'slot'))}{rng.getrandbits(24):x}@"
            f"{rng.choice(identities.MAIL_DOMAINS)}",
            "phone": identities.phone(rng),
            "created_at": None,
            "ip": ips[0] if number == 0 else rng.choice(ips),
            "device": devices[0] if number == 0 else rng.choice(devices),
            "agency_license": None,
            "_created": (registered, rng.randint(0, 2) * 3600 + 3600),
        }
        bot = Bot(
            account=account,
            band=band,
            device=account["device"],
            ip=account["ip"],
            registered=account["_created"],
            step=step,
        )
        last_day = registered + bot.attempt_at(attempts)[1] // 86_400
        cells = [
            (day, site.code)
            for day in range(last_day + 1, registered + 1 + params.bot_window_days)
            if start <= day <= end
            for site in targets
            if plan.works(site, day)
        ]
        room = {cell: int(BOT_CELL_SHARE * plan.volumes.get(cell, 0)) - used.get(cell, 0) for cell in cells}
        cells = [cell for cell in cells if room[cell] > 0]
        k = 0
        while k < attempts and cells:
            for cell in list(cells):
                if k >= attempts:
                    break
                plan.bot_cells.setdefault(cell, []).append((number, k))
                used[cell] = used.get(cell, 0) + 1
                room[cell] -= 1
                if room[cell] <= 0:
                    cells.remove(cell)
                k += 1
        bot.attempts = k
        plan.bots.append(bot)


def _in_batches(shares: dict, plan: Plan, batch: int) -> dict:
    """Hold small shares back until a batch is due, so that groups (one NIK on many accounts, runs of
    consecutive NIKs) fit in one office-day; the total is unchanged."""
    batched, carry = {}, 0
    cells = list(shares)
    for position, cell in enumerate(cells):
        carry += shares[cell]
        room = plan.volumes[cell] - len(plan.bot_cells.get(cell, ())) - 10
        if (carry >= batch or position == len(cells) - 1) and room > 0:
            batched[cell] = min(carry, room)
            carry -= batched[cell]
    if carry:  # nowhere left with room: give it to the roomiest cell
        roomiest = max(cells, key=lambda cell: plan.volumes[cell] - len(plan.bot_cells.get(cell, ())))
        batched[roomiest] = batched.get(roomiest, 0) + carry
    return batched


def plan_scenario(params: ScenarioParameters) -> Plan:
    """Decide the window, the volumes and every planted actor for ``params``."""
    if params.bookings < 1:
        raise ScenarioTooLarge("a scenario needs at least one booking")
    rng = identities.Rng(f"{params.seed}/plan")
    sites = sites_for(params.offices)
    days = _window(params, sites)
    staff = staff_roster(sites, rng=rng, start=dt.date.fromordinal(days[0]))
    issued, period, chosen = _directive(params, sites, days, rng)
    plan = Plan(
        params=params,
        sites=sites,
        staff=staff,
        days=days,
        volumes={},
        fictitious_other={},
        directive_day=issued,
        directive_days=period,
        directive_sites=chosen,
        rings=[],
        ring_by_site={},
        agencies=[],
        bots=[],
    )
    weights = [((day, site.code), plan.quota(site, day)) for day in days for site in plan.active_sites]
    capacity = sum(weight for _cell, weight in weights)
    if capacity == 0 or params.bookings > capacity * MAX_FILL:
        raise ScenarioTooLarge(
            f"{params.bookings} bookings do not fit: {len(plan.active_sites)} office(s) can take "
            f"{int(capacity * MAX_FILL)} in {len(days)} day(s); give more --days or more --offices"
        )
    plan.volumes = _cumulative(weights, params.bookings)
    plan.fictitious_total = round(params.bookings * params.fictitious_rate)
    _rings(plan, rng)
    _agencies(plan, rng)
    _bots(plan, rng)
    bot_fakes = sum(sum(1 for k in range(bot.attempts) if is_fake_attempt(k)) for bot in plan.bots)
    shares = _cumulative(
        [(cell, plan.volumes[cell] - len(plan.bot_cells.get(cell, ()))) for cell, _w in weights],
        max(0, plan.fictitious_total - bot_fakes),
    )
    plan.fictitious_other = _in_batches(shares, plan, FICTITIOUS_BATCH)
    return plan
