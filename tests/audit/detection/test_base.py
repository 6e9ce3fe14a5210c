"""The detector's context (analysis reads go to ANALYSIS_DATABASE, detection's own reads to the primary)
and the order of a run's parts."""

import inspect
import sys

import pytest
from django.db import connection
from django.db.utils import ConnectionDoesNotExist

from audit.detection.base import (
    ACCOUNTS,
    CLUSTERED,
    NETWORK,
    READS_CLUSTERS,
    REGION,
    STARTING_PARTS,
    Context,
    part_region,
    part_scope,
    parts_sent_after,
    run_parts,
    squash,
)
from audit.detection.registry import DETECTORS

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


def test_a_run_starts_with_the_parts_that_need_no_clusters_and_the_network_part_sends_the_rest():
    parts = run_parts([7, 3])
    assert parts == [NETWORK, ACCOUNTS, CLUSTERED, "region:7", "region:3"]
    assert [part_scope(p) for p in parts] == [NETWORK, ACCOUNTS, CLUSTERED, REGION, REGION]
    assert [part_region(p) for p in parts] == [None, None, None, 7, 3]
    waiting = [p for p in parts if p not in STARTING_PARTS]
    assert parts_sent_after(NETWORK, parts) == waiting == [CLUSTERED, "region:7", "region:3"]
    # Only the network part sends others: the accounts part and the rest send nothing.
    assert all(parts_sent_after(p, parts) == [] for p in parts if p != NETWORK)


def test_no_detector_of_a_starting_part_reads_the_clusters():
    """The starting parts run before the clusters are stored: a detector that reads them must be
    in a part the network part sends."""
    readers = set()
    for detector in DETECTORS.values():
        source = inspect.getsource(sys.modules[type(detector).__module__])
        if "CLUSTERS_CTE" in source or "ctx.clusters" in source:
            readers.add(detector.name)
            assert detector.scope in READS_CLUSTERS, detector.name
        if detector.scope in STARTING_PARTS:
            assert detector.name not in readers, detector.name
    assert {"officer_cluster_affinity", "queue_jumping", "four_eyes_and_skips"} <= readers
