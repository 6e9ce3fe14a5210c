"""Four-eyes breaches, skipped steps and overrides, concentrated on an officer.

Per booking, SQL finds an approval by the officer who verified the documents or interviewed
(four eyes broken), an approval with no document check or no interview (a step skipped), and
OVERRIDE events. Only office-days with at least two officers at the counter count: in a small
unit with one officer on duty, four eyes cannot be kept and the breach says nothing about that
officer. An officer is reported when they approved ``min_count`` or more such bookings and their
rate is ``peer_ratio`` times that of the other approvers at the office; the share of them that
belongs to one broker cluster is in the evidence.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..base import CLUSTERS_CTE, REGION, Context, Detector, Draft, squash, steps_cte
from ..choices import Category, SubjectType

SQL = f"""
WITH {steps_cte()}, {CLUSTERS_CTE},
staffed AS (
    SELECT office_id, day FROM steps GROUP BY office_id, day HAVING count(DISTINCT nip) >= 2
), per_booking AS (
    SELECT s.booking_ref, s.office_id, min(s.day) AS day,
           min(s.nip) FILTER (WHERE s.action = 'APPROVE') AS approver,
           array_agg(DISTINCT s.nip) FILTER (WHERE s.action IN ('VERIFY_DOCUMENTS', 'INTERVIEW')) AS checkers,
           bool_or(s.action = 'VERIFY_DOCUMENTS') AS verified, bool_or(s.action = 'INTERVIEW') AS interviewed,
           count(*) FILTER (WHERE s.action = 'OVERRIDE') AS overrides,
           array_agg(s.event_id) AS events
    FROM steps s GROUP BY s.booking_ref, s.office_id
), judged AS (
    SELECT p.*, p.approver = ANY(coalesce(p.checkers, '{{}}')) AS breach,
           NOT (p.verified AND p.interviewed) AS skipped, c.cluster
    FROM per_booking p JOIN staffed d ON d.office_id = p.office_id AND d.day = p.day
    LEFT JOIN bookings_booking b ON b.ref = p.booking_ref
    LEFT JOIN clusters c ON c.account_id = b.account_id
    WHERE p.approver IS NOT NULL
), per_officer AS (
    SELECT office_id, approver, count(*) AS approved,
           count(*) FILTER (WHERE breach OR skipped OR overrides > 0) AS irregular,
           count(*) FILTER (WHERE breach) AS breaches, count(*) FILTER (WHERE skipped) AS skips,
           sum(overrides)::int AS overrides,
           array_agg(booking_ref) FILTER (WHERE breach OR skipped OR overrides > 0) AS refs,
           mode() WITHIN GROUP (ORDER BY cluster) FILTER (WHERE breach OR skipped OR overrides > 0)
               AS top_cluster,
           count(*) FILTER (WHERE (breach OR skipped OR overrides > 0) AND cluster IS NOT NULL) AS in_clusters
    FROM judged GROUP BY office_id, approver
), office AS (
    SELECT office_id, sum(approved) AS approved, sum(irregular) AS irregular
    FROM per_officer GROUP BY office_id
)
SELECT p.office_id, p.approver, p.approved, p.irregular, p.breaches, p.skips, p.overrides, p.refs,
       p.top_cluster, p.in_clusters,
       (o.irregular - p.irregular)::float / nullif(o.approved - p.approved, 0) AS peer_rate
FROM per_officer p JOIN office o USING (office_id)
WHERE p.irregular >= %(min_count)s
"""  # noqa: S608


class FourEyesAndSkips(Detector):
    name = "four_eyes_and_skips"
    category = Category.COLLUSION
    scope = REGION
    defaults = {"min_count": 3, "peer_ratio": 3.0}

    def detect(self, ctx: Context) -> Iterable[Draft]:
        for (office_id, nip, approved, irregular, breaches, skips, overrides, refs, cluster, in_clusters,
             peer_rate) in ctx.rows(SQL):
            rate = irregular / approved
            if peer_rate is not None and rate < ctx.params["peer_ratio"] * peer_rate:
                continue
            subjects = [{"staff": nip}] + ([{"cluster": cluster}] if cluster else [])
            yield Draft(
                key=f"{nip}:{office_id}", score=squash(irregular * (rate - (peer_rate or 0)), 3),
                subject_type=SubjectType.STAFF, subject_id=nip,
                summary=(f"Officer approved {irregular} of {approved} bookings irregularly ({breaches} "
                         f"four-eyes breaches, {skips} with a step skipped, {overrides} overrides); "
                         f"peers at the office: {(peer_rate or 0):.0%}."),
                evidence={"approved": approved, "irregular": irregular, "four_eyes_breaches": breaches,
                          "skipped_steps": skips, "overrides": overrides, "rate": round(rate, 3),
                          "peer_rate": None if peer_rate is None else round(peer_rate, 3),
                          "in_clusters": in_clusters, "top_cluster": cluster,
                          "baseline": "irregular approvals by the other approvers at the office"},
                subjects=subjects, office_id=office_id, staff_nips=[nip], booking_refs=refs,
            )
