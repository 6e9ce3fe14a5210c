"""The detectors the portal runs, in the order they run within a part."""

from __future__ import annotations

from .base import ACCOUNTS, CLUSTERED, FINISH, NETWORK, REGION, Detector
from .detectors import (
    affinity,
    bots,
    clusters,
    fictitious,
    four_eyes,
    handover,
    off_hours,
    queue_jumping,
    ranking,
    shared_identifiers,
    slot_handover,
    walk_in_quota,
)

#: Every detector, keyed by its stable name. Clusters come first: the others read them.
DETECTORS: dict[str, Detector] = {
    detector.name: detector
    for detector in (
        clusters.BrokerClusters(), bots.Bots(), fictitious.FictitiousApplications(),
        handover.ThirdPartyHandOver(), queue_jumping.QueueJumping(), four_eyes.FourEyesAndSkips(),
        off_hours.OffHoursAndFast(), slot_handover.SlotHandOver(), shared_identifiers.SharedIdentifiers(),
        walk_in_quota.WalkInsAndQuota(), affinity.OfficerClusterAffinity(), ranking.OfficerRanking(),
    )
}


def detectors_for(scope: str) -> list[Detector]:
    """The detectors of one scope (``network``, ``accounts``, ``clustered``, ``region`` or ``finish``),
    in running order."""
    assert scope in (NETWORK, ACCOUNTS, CLUSTERED, REGION, FINISH)
    return [detector for detector in DETECTORS.values() if detector.scope == scope]
