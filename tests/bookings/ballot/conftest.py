"""Ballot fixtures: a ballot at Kanim A ten days ahead, its window open now."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.bookings.ballot import builders


@pytest.fixture
def ballot_day(network) -> dt.date:
    return network.kanim_a.local_date() + dt.timedelta(days=10)


@pytest.fixture
def ballot(network, ballot_day):
    return builders.ballot(network.head_a, network.kanim_a, ballot_day)
