"""The 2017 pattern replayed through the real service: one account applying 4,000 times in
one registration, and twenty accounts pushing about a hundred made-up identities each.

Run once with the production limits and once with the rate limits lifted, so that the
account cap and the NIK rules are shown to hold on their own too.
"""

import datetime as dt
import random
from collections import Counter

from django.db.models import Count

from audit.models import Event
from bookings.identity import nik_problem
from bookings.models import Account, Booking
from bookings.services import Applicant, booking_create
from passport_portal.request_meta import RequestMeta
from tests.bookings import builders

BOT_ATTEMPTS = 4000
RING_ACCOUNTS = 20
RING_ATTEMPTS = 100


def made_up_identity(rng: random.Random, serial: int) -> Applicant:
    """Mostly random digits; some well-formed NIKs with the wrong birth date; some valid."""
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(20000))
    kind = rng.random()
    if kind < 0.6:
        nik = "".join(rng.choice("0123456789") for _ in range(16))
    elif kind < 0.8:
        nik = builders.nik_for(serial, birth_date=birth + dt.timedelta(days=1))
    else:
        nik = builders.nik_for(serial, birth_date=birth, area=rng.choice(["317401", "327305", "737101"]))
    return Applicant(nik=nik, name=f"Fiktif {serial}", birth_date=birth, phone="081300000000")


def replay(network, day) -> tuple[int, Counter, dict]:
    rng = random.Random(2017)
    slots = [dt.time(8 + h // 2, 30 * (h % 2)) for h in range(16)]
    bot = builders.account_user("bot@example.invalid")
    ring = [builders.account_user(f"ring{i}@example.invalid", device=f"ring-{i}") for i in range(RING_ACCOUNTS)]
    attempts = [(bot, f"bot-dev-{i % 50}", f"10.66.{i % 200}.{i % 250}") for i in range(BOT_ATTEMPTS)]
    attempts += [(user, f"ring-{n}", f"10.77.{n}.1") for n, user in enumerate(ring) for _ in range(RING_ATTEMPTS)]
    outcomes: Counter = Counter()
    invalid_outcomes: Counter = Counter()
    for serial, (user, device, ip) in enumerate(attempts, start=1):
        applicant = made_up_identity(rng, serial)
        invalid = nik_problem(applicant.nik, applicant.birth_date) is not None
        try:
            booking_create(actor=user, office=network.kanim_a, service_date=day,
                           slot_time=rng.choice(slots), service="NEW", applicant=applicant,
                           device=device, meta=RequestMeta(ip=ip))
            outcome = "ok"
        except Exception as exc:  # every refusal is counted by its code
            outcome = getattr(exc, "code", type(exc).__name__)
        outcomes[outcome] += 1
        if invalid:
            invalid_outcomes[outcome] += 1
    return len(attempts), outcomes, invalid_outcomes


def assert_the_flood_was_stopped(attempts: int, outcomes: Counter, invalid_outcomes: Counter) -> None:
    per_account = Booking.objects.values("account").annotate(n=Count("id")).values_list("n", flat=True)
    assert max(per_account) <= 5
    assert all(a.active_bookings <= a.booking_cap for a in Account.objects.all())
    niks = list(Booking.objects.values_list("nik", flat=True))
    assert len(niks) == len(set(niks))
    assert all(nik_problem(b.nik, b.birth_date) is None for b in Booking.objects.all())
    assert "ok" not in invalid_outcomes
    refusals = Event.objects.filter(action="BOOK_REFUSED")
    assert refusals.count() == attempts - outcomes["ok"] == sum(n for o, n in outcomes.items() if o != "ok")
    recorded = Counter(refusals.values_list("details__reason", flat=True))
    assert recorded == Counter({o: n for o, n in outcomes.items() if o != "ok"})


def test_flood_under_production_limits(network, day, settings):
    settings.BOOKING_RATE_PER_ACCOUNT = 30
    settings.BOOKING_RATE_PER_DEVICE = 30
    settings.BOOKING_RATE_PER_IP = 300
    attempts, outcomes, invalid_outcomes = replay(network, day)
    assert_the_flood_was_stopped(attempts, outcomes, invalid_outcomes)
    assert outcomes["rate_limited"] >= BOT_ATTEMPTS - 30
    assert outcomes["ok"] <= 5 * (RING_ACCOUNTS + 1)


def test_flood_with_rate_limits_lifted_still_stops_at_cap_and_nik(network, day, settings):
    settings.BOOKING_RATE_PER_ACCOUNT = settings.BOOKING_RATE_PER_DEVICE = 10**6
    settings.BOOKING_RATE_PER_IP = 10**6
    attempts, outcomes, invalid_outcomes = replay(network, day)
    assert_the_flood_was_stopped(attempts, outcomes, invalid_outcomes)
    assert outcomes["account_cap_reached"] > 0 and outcomes["nik_invalid"] > 0
    assert sum(invalid_outcomes.values()) == invalid_outcomes["nik_invalid"] + invalid_outcomes["nik_birth_date_mismatch"]
