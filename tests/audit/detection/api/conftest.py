"""Planted history for detection tests."""

import pytest

from ..history import History


@pytest.fixture
def history(db) -> History:
    return History()
