"""A peer-group ranking per officer combining the other detectors' signals.

One detector can be fooled by a busy day; several independent detectors pointing at the same
officer, on the same bookings, rarely are. For every officer named by at least
``min_detectors`` officer-level detectors, this combines their strongest scores as independent
signals (1 − ∏(1 − score)), counts the bookings two or more of them rest on, and ranks the
officer among the peers at the same office and across the network. It reads the findings this
run just stored, so it runs last.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..base import FINISH, Context, Detector, Draft
from ..choices import Category, SubjectType

SQL = """
WITH officer_findings AS (
    SELECT f.id, f.detector, f.score, f.office_id, nip, f.booking_refs
    FROM detection_finding f CROSS JOIN LATERAL unnest(f.staff_nips) AS nip
    WHERE f.detector <> %(name)s AND f.category = 'COLLUSION'
), per_detector AS (
    SELECT nip, detector, max(score) AS score, mode() WITHIN GROUP (ORDER BY office_id) AS office_id
    FROM officer_findings GROUP BY nip, detector
), shared AS (
    SELECT nip, count(*) AS bookings FROM (
        SELECT nip, ref FROM officer_findings CROSS JOIN LATERAL unnest(booking_refs) AS ref
        GROUP BY nip, ref HAVING count(DISTINCT detector) >= 2) s
    GROUP BY nip
), combined AS (
    SELECT p.nip, 1 - exp(sum(ln(1 - least(p.score, 0.999)))) AS risk, count(*) AS detectors,
           array_agg(p.detector ORDER BY p.detector) AS names,
           jsonb_object_agg(p.detector, round(p.score::numeric, 3)) AS scores,
           mode() WITHIN GROUP (ORDER BY p.office_id) AS office_id
    FROM per_detector p GROUP BY p.nip
)
SELECT c.nip, c.risk, c.detectors, c.names, c.scores, c.office_id, coalesce(s.bookings, 0),
       rank() OVER (PARTITION BY c.office_id ORDER BY c.risk DESC),
       count(*) OVER (PARTITION BY c.office_id),
       rank() OVER (ORDER BY c.risk DESC), count(*) OVER ()
FROM combined c LEFT JOIN shared s ON s.nip = c.nip
"""


class OfficerRanking(Detector):
    name = "officer_peer_ranking"
    category = Category.COLLUSION
    scope = FINISH
    defaults = {"min_detectors": 2}

    def detect(self, ctx: Context) -> Iterable[Draft]:
        for (nip, risk, detectors, names, scores, office_id, shared, office_rank, office_size,
             network_rank, network_size) in ctx.own_rows(SQL, {"name": self.name}):
            if detectors < ctx.params["min_detectors"]:
                continue
            # Signals on the same bookings corroborate each other; on different ones, less so.
            score = risk if shared else risk * 0.8
            yield Draft(
                key=nip, score=score, subject_type=SubjectType.STAFF, subject_id=nip,
                summary=(f"{detectors} detectors point at this officer ({', '.join(names)}), {shared} "
                         f"booking(s) in common; rank {office_rank} of {office_size} flagged at the office, "
                         f"{network_rank} of {network_size} in the network."),
                evidence={"detectors": scores, "shared_bookings": shared, "combined": round(risk, 4),
                          "office_rank": office_rank, "office_flagged": office_size,
                          "network_rank": network_rank, "network_flagged": network_size,
                          "baseline": "officers flagged by any officer-level detector"},
                subjects=[{"staff": nip}], office_id=office_id, staff_nips=[nip],
            )
