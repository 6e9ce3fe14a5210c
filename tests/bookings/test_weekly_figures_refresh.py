"""Two refreshes of the weekly figures at once (the schedule's and an import's) both succeed: the
second waits for the first and rebuilds after it, rather than tripping over its rows."""

from __future__ import annotations

import pytest

from bookings.models import WeeklyFigures
from bookings.weekly_figures import weekly_figures_refresh
from tests.bookings.races import race


@pytest.mark.django_db(transaction=True)
def test_refreshes_at_the_same_moment_both_succeed(network):
    for _ in range(5):
        assert race([weekly_figures_refresh, weekly_figures_refresh]) == {"ok": 2}
    offices, weeks = 3, WeeklyFigures.objects.values("monday").distinct().count()
    assert WeeklyFigures.objects.count() == offices * weeks
