"""The detector's context: analysis reads go to ANALYSIS_DATABASE, detection's own reads to the primary."""

import pytest
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
