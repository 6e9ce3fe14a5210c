"""Fairness of the draw: the chance of winning does not depend on when one entered.

2,000 entrants enter one ballot, in arrival order, through the real entry service; the real
draw (in SQL) ranks them and the first 1,000 ranks win. The winners are counted per arrival
decile and compared with the uniform expectation by a chi-square test. Deliberately biased
allocations (first come, first served; a head start for early entrants) must fail the same
test, so the test can tell; 50 draws with other seeds, pooled, must pass it too.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from scipy.stats import chisquare

from bookings.models import BallotEntry
from bookings.services.ballot_draw import ballot_draw, draw_order
from offices.choices import Role
from tests import builders as base_builders
from tests.bookings.ballot import builders

ENTRANTS = 2_000
WINNERS = 1_000
DECILES = 10
ALPHA = 0.01


def winners_per_decile(arrival_order: list[int], winners: set[int]) -> np.ndarray:
    """How many winners entered in each tenth of the arrival order."""
    deciles = np.array_split(np.array(arrival_order), DECILES)
    return np.array([sum(1 for entry_id in decile if entry_id in winners) for decile in deciles])


def p_value(counts: np.ndarray) -> float:
    return chisquare(counts).pvalue  # expected: equal counts in every decile


#: Entrants of the statistical-power tests: ids in arrival order (the draw only sees ids).
ARRIVAL = list(range(1, ENTRANTS + 1))


@pytest.fixture
def drawn_entries(db, settings):
    """One ballot of 2,000 entrants (20 accounts of 100) drawn by the real draw."""
    settings.BOOKING_ACCOUNT_CAP = 100
    settings.BOOKING_RATE_PER_ACCOUNT = 10_000
    office = base_builders.office("KANIM-FAIR")
    head = base_builders.staff_user(Role.OFFICE_HEAD, office)
    ballot = builders.ballot(head, office, office.local_date() + dt.timedelta(days=10))
    builders.entrants(ballot, ENTRANTS, per_account=100)
    builders.close_window(ballot)
    ballot_draw(ballot_id=ballot.pk)
    ballot.refresh_from_db()
    rows = list(BallotEntry.objects.filter(ballot=ballot).order_by("created_at", "id")
                .values_list("id", "rank"))
    return ballot.seed, rows


def test_winning_does_not_depend_on_arrival(drawn_entries):
    _seed, rows = drawn_entries
    arrival = [entry_id for entry_id, _rank in rows]
    winners = {entry_id for entry_id, rank in rows if rank <= WINNERS}
    assert p_value(winners_per_decile(arrival, winners)) > ALPHA


def test_first_come_allocation_fails_the_same_test():
    first_come = set(ARRIVAL[:WINNERS])
    assert p_value(winners_per_decile(ARRIVAL, first_come)) < ALPHA


def test_a_subtle_head_start_fails_the_same_test():
    """Early entrants given an edge (65% chance against 35%) are caught too."""
    rng = np.random.default_rng(2017)
    early = set(ARRIVAL[: ENTRANTS // 2])
    favoured = {e for e in ARRIVAL if rng.random() < (0.65 if e in early else 0.35)}
    assert p_value(winners_per_decile(ARRIVAL, favoured)) < ALPHA


def test_many_seeds_over_the_same_entrants_favour_no_arrival_decile():
    """50 draws with different seeds: winners pooled per arrival decile stay uniform."""
    arrival = ARRIVAL
    rng = np.random.default_rng(20171229)
    pooled = np.zeros(DECILES, dtype=int)
    for _ in range(50):
        seed = f"{int(rng.integers(0, 2**63)):016x}{int(rng.integers(0, 2**63)):016x}"
        pooled += winners_per_decile(arrival, set(draw_order(seed, arrival)[:WINNERS]))
    assert pooled.sum() == 50 * WINNERS and p_value(pooled) > ALPHA
