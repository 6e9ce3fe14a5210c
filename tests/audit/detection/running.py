"""Helpers that run one detector on its own over the test window, as a run's part would."""

from __future__ import annotations

import datetime as dt

from audit.detection.base import Context
from audit.detection.registry import DETECTORS
from audit.detection.services.allowlist import allowlist_current

WINDOW = (dt.datetime(2024, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


def detect(name: str, *, clusters: dict[int, str] | None = None, office_ids=None, **params):
    """The drafts of one detector over the test window, with its defaults overridden by ``params``."""
    detector = DETECTORS[name]
    ctx = Context(window_from=WINDOW[0], window_to=WINDOW[1], params={**detector.defaults, **params},
                  allow=allowlist_current(), office_ids=office_ids, clusters=clusters or {})
    drafts = list(detector.detect(ctx))
    detector.persist(ctx)
    return drafts


def clusters_now(**params) -> dict[int, str]:
    """Run the cluster detector and return its account → cluster map, as a run's network part does.

    The volume thresholds are relaxed (a test's ring books a handful of times): these tests are
    about the detectors that read clusters, not about finding them.
    """
    from audit.detection.models import ClusterMember

    detect("broker_clusters", **{"min_bookings": 3, "min_bookings_per_account": 0, **params})
    return dict(ClusterMember.objects.values_list("account_id", "cluster"))
