"""Retention fixtures: a second applicant (bookings moved into the past are built in ``aging``)."""

from __future__ import annotations

import pytest

from tests.bookings import builders


@pytest.fixture
def other_user(network):
    return builders.account_user("citra@example.invalid", ip="10.0.0.3", device="dev-3")
