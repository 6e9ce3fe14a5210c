"""The detector's context: analysis reads go to ANALYSIS_DATABASE, detection's own reads to the primary."""

import pytest
from django.db import connection
from django.db.utils import ConnectionDoesNotExist

from audit.detection.base import Context, squash

from .running import WINDOW


def test_analysis_queries_go_to_the_analysis_database(db, settings):
    settings.ANALYSIS_DATABASE = "analysis-replica-not-configured"
    ctx = Context(window_from=WINDOW[0], window_to=WINDOW[1], params={})
    with pytest.raises(ConnectionDoesNotExist):
        ctx.rows("SELECT 1")


def test_detections_own_tables_are_read_on_the_primary(db, settings):
    settings.ANALYSIS_DATABASE = "analysis-replica-not-configured"
    ctx = Context(window_from=WINDOW[0], window_to=WINDOW[1], params={})
    assert ctx.own_rows("SELECT count(*) FROM detection_finding") == [(0,)]


def test_a_strength_at_half_scores_one_half_and_more_climbs_towards_one():
    assert squash(2, 2) == 0.5 and squash(0, 2) == 0.0
    assert squash(100, 2) > squash(10, 2) > 0.5 and squash(1e9, 2) <= 1.0


def test_analysis_queries_are_planned_without_jit_and_leave_the_session_as_it_was(transactional_db):
    ctx = Context(window_from=WINDOW[0], window_to=WINDOW[1], params={})
    with connection.cursor() as cursor:
        cursor.execute("SET jit = on")
        assert ctx.rows("SELECT current_setting('jit')") == [("off",)]
        assert ctx.own_rows("SELECT current_setting('jit')") == [("off",)]
        cursor.execute("SELECT current_setting('jit')")
        assert cursor.fetchone() == ("on",)
