"""Every read of the network's lateral figures is planned without JIT (passport_portal/planner.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

JIT_OFF = "SET LOCAL jit = off"


def backlog_read_without_jit(queries) -> bool:
    """True when the statement that reads the backlog figures runs after ``SET LOCAL jit = off``."""
    statements = [query["sql"] for query in queries]
    figures = next(i for i, sql in enumerate(statements) if "waiting" in sql and "LATERAL" in sql)
    return JIT_OFF in statements[:figures]


@pytest.mark.parametrize("path", ["/api/v1/backlog/", "/api/v1/backlog/?kanim=KANIM-A"])
def test_the_backlog_api_plans_without_jit(network, api, path):
    with CaptureQueriesContext(connection) as queries:
        assert api.as_user(network.supervisor).get(path).status_code == 200
    assert backlog_read_without_jit(queries)


def test_the_office_backlog_page_plans_without_jit(network, as_user):
    with CaptureQueriesContext(connection) as queries:
        assert as_user(network.head_a).get("/office/KANIM-A/backlog/").status_code == 200
    assert backlog_read_without_jit(queries)


def test_the_supervision_overview_plans_without_jit(network, as_user):
    with CaptureQueriesContext(connection) as queries:
        assert as_user(network.supervisor).get("/supervision/").status_code == 200
    assert backlog_read_without_jit(queries)
