"""The plan behind each size: how many fakes, which bots, how the bookings spread over the days."""

import pytest

from audit.detection.scenario import SIZES
from audit.detection.scenario.parameters import CAPITAL_REGION
from audit.detection.scenario.plan import is_fake_attempt, plan_scenario

RATE_2017 = 72_000 / 3_100_000


@pytest.mark.parametrize("size", sorted(SIZES))
def test_every_size_plans_the_2017_share_of_fictitious_applications(size):
    plan = plan_scenario(SIZES[size])
    bot_fakes = sum(is_fake_attempt(k) for bot in plan.bots for k in range(bot.attempts))

    assert plan.fictitious_total == round(SIZES[size].bookings * RATE_2017)
    assert bot_fakes + sum(plan.fictitious_other.values()) == plan.fictitious_total


@pytest.mark.parametrize("size", sorted(SIZES))
def test_every_size_spreads_exactly_its_bookings_over_working_days(size):
    plan = plan_scenario(SIZES[size])

    assert sum(plan.volumes.values()) == SIZES[size].bookings
    for (day, code), volume in plan.volumes.items():
        site = next(s for s in plan.sites if s.code == code)
        assert volume <= plan.quota(site, day)


def test_the_large_size_has_one_bot_of_4000_attempts_and_twenty_in_the_2017_bands():
    plan = plan_scenario(SIZES["large"])
    big, *bands = plan.bots

    assert big.attempts == 4_000 and big.band == "single-registration"
    assert len(bands) == 20
    for bot in bands:
        low, high = map(int, bot.band.split("-"))
        assert low <= bot.attempts <= high


def test_bots_book_only_the_capital_regions_offices_and_their_units():
    plan = plan_scenario(SIZES["large"])
    parents = {site.code: site.sample.parent_code for site in plan.sites}
    offices = {code for _day, code in plan.bot_cells}

    assert len(offices & set(CAPITAL_REGION)) == 11
    assert all(code in CAPITAL_REGION or parents[code] in CAPITAL_REGION for code in offices)
