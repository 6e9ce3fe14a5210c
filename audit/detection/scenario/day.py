"""One office's day: who booked it, who came, how the counter served them, and every record.

``DayWriter.cell`` returns the day's records in a valid order (new accounts, then bookings,
then events) and reports planted and unusual-but-normal cases to the ground truth. Each day
has its own random generator derived from the seed, the office and the date, so a day's draws
do not depend on how many records came before it. The only state carried between days is
small: counters for the truth, whose turn it is among the fictitious kinds, and which rings
have had their first day (on which every habit of the ring shows at least once).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from . import identities
from .clock import add_weekdays, hhmm, is_weekday, weekdays_before
from .counter import Roster, call_order, earliest, roster_for
from .network import Site, Staff
from .plan import Plan, Ring, bot_fake_kind, is_fake_attempt

SERVICES = (("NEW", 55), ("RENEWAL", 38), ("REPLACE_LOST", 4), ("REPLACE_DAMAGED", 3))
SERVICE_CODES = [code for code, weight in SERVICES for _ in range(weight)]
REJECT_REASONS = (
    "Dokumen tidak lengkap",
    "Data KTP dan akta tidak sesuai",
    "Indikasi TKI non-prosedural",
    "Permohonan ganda",
    "Tidak dapat menjelaskan tujuan perjalanan",
)
CANCEL_REASONS = ("Dokumen tidak lengkap", "Pemohon membatalkan di loket", "Data pemohon tidak sesuai")
OVERRIDE_REASONS = ("Pemohon mendesak berangkat", "Arahan pimpinan", "Sudah diwawancara sebelumnya")
NO_SHOW_SWEEP = {"system": "no-show-sweep"}
FICTITIOUS_KINDS = ("INVALID_NIK", "NIK_BIRTH_MISMATCH", "SHARED_NIK", "CONSECUTIVE_NIK")


class Applicant:
    """One booking while its day is generated."""

    __slots__ = (
        "account",
        "approver",
        "birth",
        "channel",
        "checked_in",
        "collected_by",
        "created",
        "device",
        "email",
        "events",
        "fate",
        "female",
        "group",
        "hold",
        "insider",
        "ip",
        "kind",
        "name",
        "nik",
        "phone",
        "priority",
        "ref",
        "ring",
        "service",
        "slot",
        "verifier",
        "verify_at",
    )

    def __init__(
        self,
        *,
        kind: str,
        account: str | None,
        created: tuple[int, int],
        ip: str | None,
        device: str | None,
        nik: str,
        name: str,
        birth: dt.date,
        female: bool,
        phone: str,
        email: str | None,
        channel: str = "ONLINE",
        service: str = "NEW",
    ):
        self.kind = kind
        self.account = account
        self.created = created
        self.ip = ip
        self.device = device
        self.nik = nik
        self.name = name
        self.birth = birth
        self.female = female
        self.phone = phone
        self.email = email
        self.channel = channel
        self.service = service
        self.priority = channel == "PRIORITY"
        self.fate = "served"
        self.slot = 0
        self.checked_in = 0
        self.insider: str | None = None
        self.ring: Ring | None = None
        self.collected_by = "applicant"
        self.verify_at: int | None = None
        self.verifier: Staff | None = None
        self.approver: Staff | None = None
        self.group: dict | None = None
        self.hold = 0
        self.ref = ""
        self.events: list[dict] = []


@dataclass
class _Day:
    """What every step of one office-day needs."""

    site: Site
    day: int
    date: dt.date
    rng: random.Random
    roster: Roster
    slots: list[int]
    closes: int
    accounts: list[dict]
    events: list[dict]
    staff_seconds: dict[str, list[int]]
    shared_logins: dict[str, Ring] = field(default_factory=dict)


class DayWriter:
    """Generates office-days for one plan; keeps only per-scenario counters between days."""

    def __init__(self, plan: Plan, sections: dict):
        self.plan = plan
        self.params = plan.params
        self.truth = sections
        self.small_unit_counts: dict[str, list[int]] = {}  # code -> [by the desk officer, all served]
        self.fictitious_by_kind: dict[str, int] = {}
        self._fictitious_turn = 0
        self._rings_seen: set[str] = set()
        self._bot_prefixes: dict[int, tuple[str, dt.date, bool]] = {}

    # ----------------------------------------------------------------- people
    def _person(
        self,
        rng: random.Random,
        site: Site,
        day: dt.date,
        *,
        age=(18, 70),
        female=None,
        family: str | None = None,
        area: str | None = None,
        province: str | None = None,
    ):
        female = rng.random() < 0.5 if female is None else female
        born = identities.birth_date(rng, on=day, age=age)
        if province is None:
            province = (
                site.sample.region_code if rng.random() < 0.85 else rng.choice(identities.PROVINCE_CODES)
            )
        nik = identities.nik(rng, province=province, born=born, female=female, area=area)
        return identities.person_name(rng, female=female, family=family), born, female, nik

    def _account(
        self, rng: random.Random, key: str, *, created: tuple[int, int], name: str, phone: str | None = None
    ) -> dict:
        return {
            "kind": "account",
            "ref": self.plan.account_ref(key),
            "email": identities.email(rng, name),
            "phone": phone or identities.phone(rng),
            "created_at": None,
            "ip": identities.home_ip(rng),
            "device": identities.device(rng),
            "agency_license": None,
            "_created": created,
        }

    # ------------------------------------------------------------------ a day
    def cell(self, site: Site, day: int) -> tuple[list[dict], list[dict], list[dict]]:
        """(accounts, bookings, events) of ``site`` on ``day``, each list in a valid order."""
        plan, params = self.plan, self.params
        rng = identities.Rng(f"{params.seed}/{site.code}/{day}")
        date = dt.date.fromordinal(day)
        accounts: list[dict] = []
        events: list[dict] = []
        staff_seconds: dict[str, list[int]] = {}  # nip -> seconds of their actions on this day
        self._quota_changes(site, day, rng, events, staff_seconds)
        if not plan.works(site, day):
            return accounts, [], events
        volume = plan.volumes.get((day, site.code), 0)
        rings = plan.ring_by_site.get(site.code, []) if is_weekday(day) else []
        insiders = {staff.nip for ring in plan.ring_by_site.get(site.code, ()) for staff in ring.colluders}
        directive = plan.in_directive(site, day)
        roster = roster_for(
            site, rng=rng, absence_rate=params.absence_rate, keep=insiders, everyone=directive
        )
        closes = plan.closes(site, day)
        slots = list(range(site.opens, closes - 1799, 1800))
        day_ctx = _Day(
            site=site,
            day=day,
            date=date,
            rng=rng,
            roster=roster,
            slots=slots,
            closes=closes,
            accounts=accounts,
            events=events,
            staff_seconds=staff_seconds,
        )

        applicants = [
            self._bot_booking(day_ctx, number, k) for number, k in plan.bot_cells.get((day, site.code), ())
        ]
        remaining = volume - len(applicants)
        fictitious = max(0, min(remaining, plan.fictitious_other.get((day, site.code), 0)))
        applicants.extend(self._fictitious(day_ctx, fictitious))
        remaining -= fictitious
        for ring in rings:
            made = self._ring_bookings(day_ctx, ring, remaining)
            applicants.extend(made)
            remaining -= len(made)
        for agency in plan.agencies:
            if agency.site is site and remaining >= 60 and plan.agency_books(agency, day):
                group = self._agency_group(
                    day_ctx, agency, min(rng.randint(*params.agency_group), remaining // 2)
                )
                applicants.extend(group)
                remaining -= len(group)
        walk_ins = max(0, min(remaining, round(volume * params.walk_in_rate)))
        priority = max(0, min(remaining - walk_ins, round(volume * params.priority_rate)))
        applicants.extend(self._walk_ins(day_ctx, walk_ins, priority))
        remaining -= walk_ins + priority
        applicants.extend(self._genuine_online(day_ctx, remaining))

        prebooked = [a for a in applicants if not a.slot]
        rng.shuffle(prebooked)
        for number, applicant in enumerate(prebooked):
            applicant.slot = slots[number * len(slots) // len(prebooked)]
        applicants.sort(key=lambda a: a.created)
        stamp = date.strftime("%Y%m%d")
        for number, applicant in enumerate(applicants, start=1):
            applicant.ref = f"BK-{stamp}-{site.index:03d}-{number:04d}"

        self._booking_events(day_ctx, applicants)
        self._fates(day_ctx, applicants)
        self._check_in(day_ctx, applicants)
        self._serve(day_ctx, applicants)
        bookings = [self._booking_record(day_ctx, applicant) for applicant in applicants]
        self._report(day_ctx, applicants, directive)
        self._logins(day_ctx)
        for applicant in applicants:
            events.extend(applicant.events)
        for account in accounts:
            account["created_at"] = site.clock.at(*account.pop("_created"))
        return accounts, bookings, events

    # ------------------------------------------------------------- helpers
    def _event(
        self,
        ctx: _Day,
        when: tuple[int, int],
        actor: dict,
        action: str,
        booking: str | None,
        ip: str | None,
        details: dict | None = None,
        *,
        office: str | None = "",
    ) -> dict:
        return {
            "kind": "event",
            "at": ctx.site.clock.at(*when),
            "actor": actor,
            "office": ctx.site.code if office == "" else office,
            "action": action,
            "booking": booking,
            "ip": ip,
            "details": details or {},
        }

    def _staff_event(
        self,
        ctx: _Day,
        applicant: Applicant | None,
        staff: Staff,
        second: int,
        action: str,
        details: dict | None = None,
        *,
        day: int | None = None,
    ) -> dict:
        on = ctx.day if day is None else day
        if on == ctx.day:
            ctx.staff_seconds.setdefault(staff.nip, []).append(second)
        event = self._event(
            ctx,
            (on, second),
            {"staff": staff.nip},
            action,
            applicant.ref if applicant else None,
            ctx.site.wifi_ip,
            details,
        )
        if applicant is not None:
            applicant.events.append(event)
        return event

    def _quota_changes(self, site: Site, day: int, rng: random.Random, events: list, seconds: dict) -> None:
        plan = self.plan
        head = site.head
        changes = []
        if day == plan.directive_day and site.code in plan.directive_sites:
            for number, date in enumerate(sorted(plan.directive_days)):
                old = site.quota if is_weekday(date) else 0
                changes.append(
                    (14 * 3600 + number * 40, date, old, plan.quota(site, date), "clearance directive")
                )
        if is_weekday(day) and rng.random() < self.params.quota_change_rate:
            date = day + rng.randint(7, 14)
            changes.append(
                (
                    rng.randint(9 * 3600, 15 * 3600),
                    date,
                    site.quota,
                    max(0, site.quota + rng.choice((-20, -10, 10, 20))),
                    None,
                )
            )
        for second, date, old, new, reason in changes:
            details = {"date": dt.date.fromordinal(date).isoformat(), "old": old, "new": new}
            if reason:
                details["reason"] = reason
            seconds.setdefault(head.nip, []).append(second)
            events.append(
                {
                    "kind": "event",
                    "at": site.clock.at(day, second),
                    "actor": {"staff": head.nip},
                    "office": site.code,
                    "action": "QUOTA_CHANGE",
                    "booking": None,
                    "ip": site.wifi_ip,
                    "details": details,
                }
            )

    def _lead(self, ctx: _Day) -> tuple[int, int]:
        """When an ordinary booking was made: days ahead, between six in the morning and midnight."""
        return ctx.day - ctx.rng.randint(*self.params.booking_lead_days), ctx.rng.randint(6 * 3600, 86_399)

    def _new_account(
        self, ctx: _Day, key: str, *, booked: tuple[int, int], name: str, phone: str | None = None
    ) -> dict:
        rng = ctx.rng
        if rng.random() < 0.5:
            created = (booked[0], booked[1] - rng.randint(300, 3600))
        else:
            created = (booked[0] - rng.randint(1, 400), rng.randint(6 * 3600, 86_399))
        account = self._account(
            rng, f"{ctx.site.code}/{ctx.day}/{key}", created=created, name=name, phone=phone
        )
        ctx.accounts.append(account)
        ctx.events.append(
            self._event(
                ctx,
                created,
                {"account": account["ref"]},
                "ACCOUNT_REGISTER",
                None,
                account["ip"],
                {"device": account["device"]},
                office=None,
            )
        )
        return account

    def _applicant_from(
        self,
        ctx: _Day,
        kind: str,
        account: dict,
        booked: tuple[int, int],
        person,
        *,
        phone: str | None = None,
        email: str | None = "",
    ) -> Applicant:
        name, born, female, nik = person
        return Applicant(
            kind=kind,
            account=account["ref"],
            created=booked,
            ip=account["ip"],
            device=account["device"],
            nik=nik,
            name=name,
            birth=born,
            female=female,
            phone=phone or account["phone"],
            email=account["email"] if email == "" else email,
            service=ctx.rng.choice(SERVICE_CODES),
        )

    # ---------------------------------------------------------- who booked
    def _genuine_online(self, ctx: _Day, count: int) -> list[Applicant]:
        rng, site, date = ctx.rng, ctx.site, ctx.date
        mean_family = 3.2
        rate = self.params.family_rate
        family_chance = rate / (mean_family - rate * (mean_family - 1))
        made: list[Applicant] = []
        number = 0
        while len(made) < count:
            number += 1
            booked = self._lead(ctx)
            left = count - len(made)
            if left >= 2 and rng.random() < family_chance:
                made.extend(self._family(ctx, number, booked, min(left, rng.choice((2, 2, 3, 3, 4, 5)))))
                continue
            person = self._person(rng, site, date)
            account = self._new_account(ctx, f"g{number}", booked=booked, name=person[0])
            made.append(
                self._applicant_from(
                    ctx,
                    "genuine",
                    account,
                    booked,
                    person,
                    email=account["email"] if rng.random() < 0.8 else None,
                )
            )
        return made

    def _family(self, ctx: _Day, number: int, booked: tuple[int, int], size: int) -> list[Applicant]:
        rng, site, date = ctx.rng, ctx.site, ctx.date
        family = rng.choice(identities.FAMILY)
        area = identities.nik_area(rng)
        province = site.sample.region_code if rng.random() < 0.9 else rng.choice(identities.PROVINCE_CODES)
        parent_female = rng.random() < 0.5
        parent = self._person(
            rng, site, date, age=(30, 50), female=parent_female, family=family, area=area, province=province
        )
        account = self._new_account(ctx, f"f{number}", booked=booked, name=parent[0])
        group = {"type": "family", "account": account["ref"], "phone": account["phone"], "members": []}
        members = [parent]
        if size >= 2 and rng.random() < 0.6:
            members.append(
                self._person(
                    rng,
                    site,
                    date,
                    age=(28, 50),
                    female=not parent_female,
                    family=family,
                    area=area,
                    province=province,
                )
            )
        while len(members) < size:
            members.append(
                self._person(rng, site, date, age=(0, 16), family=family, area=area, province=province)
            )
        made = []
        for position, person in enumerate(members):
            applicant = self._applicant_from(
                ctx, "family", account, (booked[0], booked[1] + position * 150), person
            )
            applicant.group = group
            if position and (date - person[1]).days < 17 * 365 and rng.random() < 0.7:
                applicant.collected_by = parent[3]  # the parent collects the child's passport
            made.append(applicant)
        return made

    def _walk_ins(self, ctx: _Day, walk_ins: int, priority: int) -> list[Applicant]:
        rng, site = ctx.rng, ctx.site
        made = []
        for number in range(walk_ins + priority):
            is_priority = number >= walk_ins
            age = rng.choice(((60, 85), (0, 1), (25, 40))) if is_priority else (18, 65)
            name, born, female, nik = self._person(rng, site, ctx.date, age=age)
            arrival = rng.randint(site.opens, max(site.opens + 60, ctx.closes - 7200))
            applicant = Applicant(
                kind="walk-in",
                account=None,
                created=(ctx.day, arrival),
                ip=site.wifi_ip,
                device=None,
                nik=nik,
                name=name,
                birth=born,
                female=female,
                phone=identities.phone(rng),
                email=None,
                channel="PRIORITY" if is_priority else "WALK_IN",
                service=rng.choice(SERVICE_CODES),
            )
            applicant.slot = ctx.slots[min(len(ctx.slots) - 1, max(0, (arrival - site.opens) // 1800))]
            made.append(applicant)
        return made

    def _agency_group(self, ctx: _Day, agency, size: int) -> list[Applicant]:
        rng, site = ctx.rng, ctx.site
        account = agency.account
        booked = (ctx.day - rng.randint(7, 21), rng.randint(9 * 3600, 11 * 3600))
        first_slot = rng.randrange(max(1, len(ctx.slots) - 2))
        group = {
            "type": "agency",
            "account": account["ref"],
            "license": account["agency_license"],
            "members": [],
        }
        made = []
        second = booked[1]
        for position in range(size):
            second += rng.randint(60, 150)  # a clerk typing in one pilgrim after another
            person = self._person(rng, site, ctx.date, age=(25, 75))
            applicant = self._applicant_from(
                ctx, "agency", account, (booked[0], second), person, phone=identities.phone(rng), email=None
            )
            applicant.service = "NEW"
            applicant.slot = ctx.slots[min(len(ctx.slots) - 1, first_slot + position * 2 // size)]
            applicant.group = group
            made.append(applicant)
        return made

    def _fictitious(self, ctx: _Day, count: int) -> list[Applicant]:
        rng, site = ctx.rng, ctx.site
        made: list[Applicant] = []
        number = 0
        while len(made) < count:
            number += 1
            left = count - len(made)
            # Kinds take turns across the scenario, so every kind appears even in a small one.
            kind = FICTITIOUS_KINDS[self._fictitious_turn % len(FICTITIOUS_KINDS)]
            if left < 4 and kind in ("SHARED_NIK", "CONSECUTIVE_NIK"):
                kind = rng.choice(FICTITIOUS_KINDS[:2])  # no room for a group: its turn waits
            else:
                self._fictitious_turn += 1
            booked = (ctx.day - rng.randint(1, 10), rng.randint(0, 86_399))
            name, born, female, nik = self._person(rng, site, ctx.date)
            if kind == "INVALID_NIK":
                people = [(name, born, female, identities.nik_invalid(rng, province=nik[:2], born=born))]
            elif kind == "NIK_BIRTH_MISMATCH":
                people = [(name, born + dt.timedelta(days=rng.randint(30, 4000)), female, nik)]
            elif kind == "SHARED_NIK":
                people = [(name, born, female, nik)] * min(left, rng.randint(4, 8))
            else:
                serial = rng.randint(1, 9000)
                people = [
                    (identities.person_name(rng, female=female), born, female, f"{nik[:12]}{serial + i:04d}")
                    for i in range(min(left, rng.randint(4, 8)))
                ]
            shared = None
            for position, person in enumerate(people):
                when = (booked[0], booked[1] + position * rng.randint(20, 200))
                if shared is None or kind == "SHARED_NIK":
                    account = self._new_account(ctx, f"x{number}.{position}", booked=when, name=person[0])
                    shared = account if kind == "CONSECUTIVE_NIK" else None
                else:
                    account = shared
                applicant = self._applicant_from(ctx, "fictitious", account, when, person)
                applicant.group = {"type": "fictitious", "kind": kind, "source": "account"}
                made.append(applicant)
        return made

    def _bot_booking(self, ctx: _Day, number: int, k: int) -> Applicant:
        rng, site = ctx.rng, ctx.site
        bot = self.plan.bots[number]
        fake = is_fake_attempt(k)
        name, born, female, nik = self._person(rng, site, ctx.date)
        kind = None
        if fake:
            kind = bot_fake_kind(k, bot.attempts)
            if kind == "INVALID_NIK":
                nik = identities.nik_invalid(rng, province=nik[:2], born=born)
            elif kind == "NIK_BIRTH_MISMATCH":
                born = born + dt.timedelta(days=rng.randint(30, 4000))
            else:
                prefix, born, female = self._bot_prefix(number)
                nik = f"{prefix}{k + 1:04d}"
        made_on, made_at = bot.attempt_at(k)  # registered in WIB: the same instant in this office's zone
        made_at += (site.clock.hours - 7) * 3600
        applicant = Applicant(
            kind="bot",
            account=bot.account["ref"],
            created=(made_on, made_at),
            ip=bot.ip,
            device=bot.device,
            nik=nik,
            name=name,
            birth=born,
            female=female,
            phone=identities.phone(rng),
            email=None,
            service=rng.choice(SERVICE_CODES),
        )
        applicant.group = {"type": "bot", "bot": number, "attempt": k, "kind": kind}
        return applicant

    def _bot_prefix(self, number: int) -> tuple[str, dt.date, bool]:
        """The first twelve digits of a bot's consecutive fake NIKs (one birth date for all)."""
        cache = self._bot_prefixes
        if number not in cache:
            rng = identities.Rng(f"{self.params.seed}/bot-nik/{number}")
            born = identities.birth_date(rng, on=dt.date.fromordinal(self.plan.days[0]), age=(20, 50))
            cache[number] = (identities.nik(rng, province="31", born=born, female=False)[:12], born, False)
        return cache[number]

    def _ring_bookings(self, ctx: _Day, ring: Ring, remaining: int) -> list[Applicant]:
        rng, site, params = ctx.rng, ctx.site, self.params
        insider = next((staff for staff in ctx.roster.verify if staff in ring.colluders), None)
        if insider is None or remaining < 8:
            return []
        # A ring's first working day shows every one of its habits, so even a short scenario has them all.
        first = ring.name not in self._rings_seen
        self._rings_seen.add(ring.name)
        made: list[Applicant] = []

        def client(booked: tuple[int, int], account: dict, trait: str) -> Applicant:
            person = self._person(rng, site, ctx.date, age=(20, 60))
            applicant = self._applicant_from(
                ctx,
                "ring",
                account,
                booked,
                person,
                phone=ring.broker_phone if rng.random() < 0.6 else identities.phone(rng),
            )
            applicant.ip, applicant.ring, applicant.insider = ring.ip, ring, insider.nip
            applicant.group = {"type": "ring", "traits": [trait]}
            made.append(applicant)
            return applicant

        for _ in range(min(remaining // 4, rng.randint(*params.ring_bookings_per_day))):
            client(
                (ctx.day - rng.randint(1, 10), rng.randint(7 * 3600, 86_000)),
                rng.choice(ring.accounts),
                "booked",
            )
        if (first or rng.random() < params.ring_slot_handover_rate) and len(ring.accounts) > 1:
            j = rng.randrange(len(ring.accounts) - 1)
            released = (ctx.day - rng.randint(1, 3), rng.randint(19 * 3600, 22 * 3600))
            held = client(
                (released[0] - rng.randint(2, 10), rng.randint(8 * 3600, 20 * 3600)),
                ring.accounts[j],
                "slot-released",
            )
            taken = client(
                (released[0], released[1] + rng.randint(120, 540)), ring.accounts[j + 1], "slot-taken"
            )
            held.fate, held.insider = "ring-released", None
            held.slot = taken.slot = rng.choice(ctx.slots)
            held.group["released_at"] = released
            held.group["taken_by"] = taken
        if (first or rng.random() < params.ring_walk_in_rate):
            arrival = site.opens + rng.randint(300, 5400)
            applicant = client(
                (ctx.day, arrival),
                {"ref": None, "ip": site.wifi_ip, "device": None, "phone": ring.broker_phone, "email": None},
                "walk-in-insertion",
            )
            applicant.channel, applicant.account = "WALK_IN", None
            applicant.ip, applicant.device = site.wifi_ip, None
            applicant.slot = ctx.slots[min(len(ctx.slots) - 1, (arrival - site.opens) // 1800)]
        if ring.head_colludes and (first or rng.random() < params.ring_quota_raise_rate):
            raised_at = (weekdays_before(ctx.day, rng.randint(1, 3)), rng.randint(15 * 3600, 16 * 3600))
            extra = rng.randint(2, 4)
            raise_event = self._event(
                ctx,
                raised_at,
                {"staff": site.head.nip},
                "QUOTA_CHANGE",
                None,
                site.wifi_ip,
                {"date": ctx.date.isoformat(), "old": site.quota, "new": site.quota + extra},
            )
            ctx.events.append(raise_event)
            raised = [
                client((raised_at[0], raised_at[1] + 120 + 90 * i), rng.choice(ring.accounts), "quota-raise")
                for i in range(extra)
            ]
            raised[0].group["raise"] = {
                "by": site.head.nip,
                "at": raise_event["at"],
                "old": site.quota,
                "new": site.quota + extra,
                "bookings": raised,
            }
        if (first or rng.random() < params.ring_shared_login_rate):
            ctx.shared_logins[insider.nip] = ring
        return made

    # --------------------------------------------------------- on the day
    def _booking_events(self, ctx: _Day, applicants: list[Applicant]) -> None:
        """What happened before the day: logins, bookings, walk-in insertions, reschedules, releases."""
        rng = ctx.rng
        previous_account = None
        for applicant in applicants:
            if applicant.account is None:
                actor = applicant.insider and next(
                    s for s in applicant.ring.colluders if s.nip == applicant.insider
                )
                self._staff_event(
                    ctx, applicant, actor or ctx.roster.front_desk, applicant.created[1], "WALK_IN_INSERT"
                )
                continue
            who = {"account": applicant.account}
            device = {"device": applicant.device}
            if applicant.kind != "bot" and (
                applicant.account != previous_account or applicant.kind == "ring"
            ):
                login = (applicant.created[0], applicant.created[1] - rng.randint(30, 600))
                applicant.events.append(
                    self._event(ctx, login, who, "ACCOUNT_LOGIN", None, applicant.ip, device, office=None)
                )
            previous_account = applicant.account
            applicant.events.append(
                self._event(ctx, applicant.created, who, "BOOK", applicant.ref, applicant.ip, device)
            )
            if applicant.kind in ("genuine", "family") and rng.random() < self.params.reschedule_rate:
                moved = (applicant.created[0], applicant.created[1] + rng.randint(600, 7200))
                if moved[0] + moved[1] // 86_400 < ctx.day:
                    applicant.events.append(
                        self._event(
                            ctx,
                            moved,
                            who,
                            "BOOKING_RESCHEDULE",
                            applicant.ref,
                            applicant.ip,
                            {
                                "from_date": dt.date.fromordinal(ctx.day + rng.randint(1, 5)).isoformat(),
                                "from_slot": hhmm(rng.choice(ctx.slots)),
                                "to_date": ctx.date.isoformat(),
                                "to_slot": hhmm(applicant.slot),
                            },
                        )
                    )
            if applicant.fate == "ring-released":
                released = applicant.group["released_at"]
                applicant.events.append(
                    self._event(ctx, released, who, "BOOKING_CANCEL", applicant.ref, applicant.ip, device)
                )

    def _fates(self, ctx: _Day, applicants: list[Applicant]) -> None:
        rng, params = ctx.rng, self.params
        cancel = params.cancel_rate
        staff_cancel = cancel + params.staff_cancel_rate
        no_show = staff_cancel + params.no_show_rate
        for applicant in applicants:
            kind = applicant.kind
            if kind in ("genuine", "family", "agency"):
                roll = rng.random()
                if roll < cancel and kind != "agency":
                    applicant.fate = "cancelled"
                elif roll < staff_cancel:
                    applicant.fate = "staff-cancelled"
                elif roll < no_show * (0.4 if kind == "agency" else 1):
                    applicant.fate = "no-show"
            elif kind == "fictitious":
                applicant.fate = "no-show" if rng.random() < 0.9 else "cancelled"
            elif kind == "bot":
                applicant.fate = "no-show" if applicant.group["kind"] or rng.random() < 0.4 else "served"
            if applicant.fate == "served" and kind != "ring" and rng.random() < params.reject_rate:
                applicant.fate = "rejected"
            if applicant.fate == "cancelled":
                booked_day, booked_second = applicant.created
                latest = (ctx.day - booked_day) * 86_400 - booked_second - 3600
                when = (booked_day, booked_second + rng.randint(min(600, latest), max(600, latest)))
                applicant.events.append(
                    self._event(
                        ctx,
                        when,
                        {"account": applicant.account},
                        "BOOKING_CANCEL",
                        applicant.ref,
                        applicant.ip,
                        {"device": applicant.device},
                    )
                )

    def _check_in(self, ctx: _Day, applicants: list[Applicant]) -> None:
        rng, site, params = ctx.rng, ctx.site, self.params
        coming = []
        for applicant in applicants:
            if applicant.fate not in ("served", "rejected", "staff-cancelled"):
                continue
            if (
                applicant.insider
                and applicant.account is not None
                and rng.random() < params.ring_before_opening_rate
            ):
                applicant.checked_in = site.opens - rng.randint(20 * 60, 75 * 60)  # before opening
                insider = next(s for s in applicant.ring.colluders if s.nip == applicant.insider)
                self._staff_event(ctx, applicant, insider, applicant.checked_in, "CHECK_IN")
                applicant.group["traits"].append("before-opening")
                continue
            if applicant.account is None:
                arrival = applicant.created[1]
            else:
                arrival = applicant.slot + min(1800, max(-3600, int(rng.gauss(-600, 600))))
            coming.append((max(arrival, site.opens), applicant))
        coming.sort(key=lambda pair: pair[0])
        desk_free = site.opens
        for arrival, applicant in coming:
            desk_free = max(arrival, desk_free) + rng.randint(15, 45)
            applicant.checked_in = desk_free
            self._staff_event(ctx, applicant, ctx.roster.front_desk, desk_free, "CHECK_IN")
            if applicant.fate == "staff-cancelled":
                self._staff_event(
                    ctx,
                    applicant,
                    ctx.roster.front_desk,
                    desk_free + rng.randint(60, 300),
                    "CANCEL",
                    {"reason": rng.choice(CANCEL_REASONS)},
                )

    def _serve(self, ctx: _Day, applicants: list[Applicant]) -> None:
        rng, site, roster = ctx.rng, ctx.site, ctx.roster
        served = sorted(
            (a for a in applicants if a.fate in ("served", "rejected")), key=lambda a: a.checked_in
        )
        bio_inline = not roster.biometrics
        for applicant in served:
            if applicant.insider:
                applicant.hold = rng.randint(60, 150) + rng.randint(40, 90) + rng.randint(20, 60)
            else:
                applicant.hold = rng.randint(200, 420) + (rng.randint(120, 240) if bio_inline else 0)
        call_order(served, roster.verify, opens=site.opens, hold=lambda a: a.hold)
        bio = [[site.opens, staff] for staff in roster.biometrics]
        interview = [[site.opens, staff] for staff in roster.interview]
        approve = [[site.opens, staff] for staff in roster.approve]
        served.sort(key=lambda a: a.verify_at)
        for applicant in served:
            verifier, start = applicant.verifier, applicant.verify_at
            self._staff_event(ctx, applicant, verifier, start, "VERIFY_DOCUMENTS")
            self._staff_event(ctx, applicant, verifier, start + rng.randint(15, 60), "VIEW_APPLICANT")
            if applicant.insider:
                done = self._serve_ring_client(ctx, applicant, approve)
            else:
                done = self._serve_in_turn(ctx, applicant, bio, interview, approve, bio_inline)
            self._after_decision(ctx, applicant, done)

    def _serve_in_turn(self, ctx: _Day, applicant: Applicant, bio, interview, approve, bio_inline) -> int:
        rng = ctx.rng
        start = applicant.verify_at
        if bio_inline:
            bio_at, bio_end = start + applicant.hold - rng.randint(100, 200), start + applicant.hold
            self._staff_event(ctx, applicant, applicant.verifier, bio_at, "CAPTURE_BIOMETRICS")
        else:
            index, bio_at = earliest(bio, start + applicant.hold + rng.randint(30, 300))
            bio_end = bio_at + rng.randint(120, 240)
            bio[index][0] = bio_end
            self._staff_event(ctx, applicant, bio[index][1], bio_at, "CAPTURE_BIOMETRICS")
        index, talk_at = earliest(interview, bio_end + rng.randint(30, 600))
        talk_end = talk_at + rng.randint(180, 420)
        interview[index][0] = talk_end
        self._staff_event(ctx, applicant, interview[index][1], talk_at, "INTERVIEW")
        index, decide_at = earliest(approve, talk_end + rng.randint(60, 900))
        approve[index][0] = decide_at + rng.randint(30, 120)
        applicant.approver = approve[index][1]
        opened = decide_at - rng.randint(20, 50)  # the approver reads the file before deciding
        self._staff_event(ctx, applicant, applicant.approver, opened, "VIEW_APPLICANT")
        if applicant.fate == "rejected":
            self._staff_event(
                ctx,
                applicant,
                applicant.approver,
                decide_at,
                "REJECT",
                {"reason": rng.choice(REJECT_REASONS)},
            )
        else:
            self._staff_event(ctx, applicant, applicant.approver, decide_at, "APPROVE")
        return decide_at

    def _serve_ring_client(self, ctx: _Day, applicant: Applicant, approve) -> int:
        """The insider does it fast, often alone: biometrics, maybe no interview, own approval."""
        rng, params = ctx.rng, self.params
        insider = applicant.verifier
        traits = applicant.group["traits"]
        traits.append("queue-skipped")
        at = applicant.verify_at + rng.randint(60, 150)
        self._staff_event(ctx, applicant, insider, at, "CAPTURE_BIOMETRICS")
        at += rng.randint(40, 90)
        if rng.random() < params.ring_skip_interview_rate:
            if rng.random() < 0.5:
                self._staff_event(
                    ctx,
                    applicant,
                    insider,
                    at,
                    "OVERRIDE",
                    {"skipped": "INTERVIEW", "reason": rng.choice(OVERRIDE_REASONS)},
                )
                traits.append("interview-overridden")
            else:
                traits.append("interview-missing")
        else:
            partner = next((s for s in applicant.ring.colluders if s is not insider), insider)
            self._staff_event(ctx, applicant, partner, at, "INTERVIEW")
            at += rng.randint(30, 90)
        if rng.random() < params.ring_four_eyes_break_rate:
            applicant.approver = insider
            traits.append("four-eyes-broken")
            at += rng.randint(10, 40)
        else:
            index, at = earliest(approve, at + rng.randint(30, 120))
            approve[index][0] = at + rng.randint(20, 60)
            applicant.approver = approve[index][1]
        self._staff_event(ctx, applicant, applicant.approver, at, "APPROVE")
        if applicant.collected_by == "applicant" and rng.random() < params.ring_broker_collects_rate:
            applicant.collected_by = applicant.ring.broker_nik
            traits.append("broker-collected")
        return at

    def _after_decision(self, ctx: _Day, applicant: Applicant, decided: int) -> None:
        """Printing (same day, or the next working morning) and hand-over a few working days later."""
        if applicant.fate == "rejected":
            return
        rng, site, plan = ctx.rng, ctx.site, self.plan
        desk = ctx.roster.front_desk
        printed_on, printed_at = ctx.day, decided + rng.randint(1800, 7200)
        if printed_at > ctx.closes:
            printed_on, printed_at = add_weekdays(ctx.day, 1), site.opens + rng.randint(600, 3600)
        if printed_on > plan.end:
            return
        printer = applicant.verifier if applicant.insider else desk
        self._staff_event(ctx, applicant, printer, printed_at, "PRINT", day=printed_on)
        handed_on = add_weekdays(ctx.day, rng.randint(*self.params.handover_working_days))
        if handed_on > plan.end:
            return
        giver = applicant.verifier if applicant.insider and applicant.collected_by != "applicant" else desk
        self._staff_event(
            ctx,
            applicant,
            giver,
            rng.randint(site.opens + 1800, site.closes - 1800),
            "HAND_OVER",
            {"collected_by": applicant.collected_by},
            day=handed_on,
        )
        applicant.fate = "issued"

    def _booking_record(self, ctx: _Day, applicant: Applicant) -> dict:
        fate = applicant.fate
        if fate in ("cancelled", "staff-cancelled", "ring-released"):
            status = "CANCELLED"
        elif fate == "no-show":
            status = "NO_SHOW"
            applicant.events.append(
                self._event(
                    ctx,
                    (ctx.day, ctx.closes + ctx.rng.randint(900, 2700)),
                    NO_SHOW_SWEEP,
                    "MARK_NO_SHOW",
                    applicant.ref,
                    None,
                )
            )
        elif fate == "rejected":
            status = "REJECTED"
        elif fate == "issued":
            status = "ISSUED"
        else:
            status = "APPROVED"
        site = ctx.site
        return {
            "kind": "booking",
            "ref": applicant.ref,
            "account": applicant.account,
            "office": site.code,
            "service_date": ctx.date.isoformat(),
            "slot": hhmm(applicant.slot),
            "service": applicant.service,
            "channel": applicant.channel,
            "nik": applicant.nik,
            "name": applicant.name,
            "birth_date": applicant.birth.isoformat(),
            "phone": applicant.phone,
            "email": applicant.email,
            "created_at": site.clock.at(*applicant.created),
            "ip": applicant.ip,
            "device": applicant.device,
            "status": status,
        }

    def _logins(self, ctx: _Day) -> None:
        """Each officer at work logs in before their first action and out after the last, from the
        office's shared Wi-Fi, at their workstation; an insider sometimes from the broker's network."""
        rng, site = ctx.rng, ctx.site
        people = {staff.nip: staff for staff in ctx.roster.on_duty}
        for ring in self.plan.ring_by_site.get(site.code, ()):
            for staff in ring.colluders:
                if staff.nip in ctx.staff_seconds:
                    people[staff.nip] = staff
        if site.head.nip in ctx.staff_seconds:
            people[site.head.nip] = site.head
        for position, (nip, staff) in enumerate(sorted(people.items())):
            seconds = ctx.staff_seconds.get(nip, ())
            first = min((*seconds, site.opens - rng.randint(300, 1800)))
            last = max((*seconds, ctx.closes + rng.randint(300, 1500)))
            ring = ctx.shared_logins.get(nip)
            ip = ring.ip if ring else site.wifi_ip
            device = ring.devices[0] if ring else f"WS-{site.index:03d}-{position + 1:02d}"
            ctx.events.append(
                self._event(
                    ctx,
                    (ctx.day, first - rng.randint(60, 600)),
                    {"staff": staff.nip},
                    "STAFF_LOGIN",
                    None,
                    ip,
                    {"device": device},
                )
            )
            ctx.events.append(
                self._event(
                    ctx,
                    (ctx.day, last + rng.randint(30, 300)),
                    {"staff": staff.nip},
                    "STAFF_LOGOUT",
                    None,
                    ip,
                    {"device": device},
                )
            )
            if ring:
                self.truth["shared_logins"].append(
                    {
                        "ring": ring.name,
                        "officer": nip,
                        "office": site.code,
                        "date": ctx.date.isoformat(),
                        "ip": ip,
                        "device": device,
                        "accounts": [
                            a["ref"] for a in ring.accounts if a["device"] == device or a["ip"] == ip
                        ],
                    }
                )

    # ------------------------------------------------------------ the truth
    def _report(self, ctx: _Day, applicants: list[Applicant], directive: bool) -> None:
        truth, site, date = self.truth, ctx.site, ctx.date.isoformat()
        groups: dict[int, dict] = {}
        handled_by_desk = served = 0
        for applicant in applicants:
            group = applicant.group
            if applicant.kind == "fictitious" or (applicant.kind == "bot" and group["kind"]):
                self.fictitious_by_kind[group["kind"]] = self.fictitious_by_kind.get(group["kind"], 0) + 1
                truth["fictitious"].append(
                    {
                        "booking": applicant.ref,
                        "kind": group["kind"],
                        "source": group.get("source", "bot"),
                        "account": applicant.account,
                        "office": site.code,
                        "date": date,
                    }
                )
            elif applicant.kind == "ring":
                truth["ring_bookings"].append(
                    {
                        "ring": applicant.ring.name,
                        "booking": applicant.ref,
                        "account": applicant.account,
                        "office": site.code,
                        "date": date,
                        "officer": applicant.insider,
                        "approver": applicant.approver.nip if applicant.approver else None,
                        "traits": group["traits"],
                    }
                )
                if "taken_by" in group:
                    truth["slot_handovers"].append(
                        {
                            "ring": applicant.ring.name,
                            "released": applicant.ref,
                            "taken": group["taken_by"].ref,
                            "office": site.code,
                            "date": date,
                            "slot": hhmm(applicant.slot),
                        }
                    )
                if "raise" in group:
                    raised = group["raise"]
                    truth["quota_raises"].append(
                        {
                            "ring": applicant.ring.name,
                            "by": raised["by"],
                            "at": raised["at"],
                            "office": site.code,
                            "date": date,
                            "old": raised["old"],
                            "new": raised["new"],
                            "bookings": [a.ref for a in raised["bookings"]],
                        }
                    )
            elif applicant.channel == "PRIORITY":
                truth["priority_walk_ins"].append(
                    {"booking": applicant.ref, "office": site.code, "date": date}
                )
            if group and group["type"] in ("family", "agency"):
                groups.setdefault(id(group), group)["members"].append(applicant.ref)
                if applicant.collected_by != "applicant":
                    group.setdefault("collected_by_parent", []).append(applicant.ref)
            if site.is_small_unit and applicant.verifier is not None:
                served += 1
                handled_by_desk += applicant.verifier is ctx.roster.front_desk
        for group in groups.values():
            if group["type"] == "family":
                truth["families"].append(
                    {
                        "account": group["account"],
                        "phone": group["phone"],
                        "office": site.code,
                        "date": date,
                        "bookings": group["members"],
                        "collected_by_parent": group.get("collected_by_parent", []),
                    }
                )
            else:
                truth["agency_groups"].append(
                    {
                        "account": group["account"],
                        "license": group["license"],
                        "office": site.code,
                        "date": date,
                        "bookings": group["members"],
                    }
                )
        if site.is_small_unit:
            counts = self.small_unit_counts.setdefault(site.code, [0, 0])
            counts[0] += handled_by_desk
            counts[1] += served
        if directive:
            truth["overtime"].append(
                {
                    "office": site.code,
                    "date": date,
                    "weekend": not is_weekday(ctx.day),
                    "closes_at": hhmm(ctx.closes),
                    "officers_on_duty": len(ctx.roster.on_duty),
                    "bookings": len(applicants),
                }
            )
