"""Queue jumping: applicants served well out of check-in order, who served them, which cluster.

Within one office-day, applicants are served in check-in order, priority applicants first.
SQL ranks the ordinary (non-priority) bookings of each office-day by check-in and by when they
were served (decided; or documents checked, for a booking not decided yet). Parallel counters
reorder a queue by about as many places as there are officers deciding; a booking served that
many places plus ``margin`` earlier jumped the queue. The officer who checked its documents
(who took it out of turn) is reported when ``min_jumps`` or more of their bookings jumped.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..base import CLUSTERS_CTE, REGION, Context, Detector, Draft, squash, steps_cte
from ..choices import Category, SubjectType

SQL = f"""
WITH {steps_cte(("CHECK_IN", "VERIFY_DOCUMENTS", "APPROVE", "REJECT"))}, {CLUSTERS_CTE},
per_booking AS (
    SELECT s.office_id, min(s.day) AS day, s.booking_ref,
           min(s.at) FILTER (WHERE s.action = 'CHECK_IN') AS checked_in,
           -- Served: decided, or (for a booking not decided yet) its documents checked.
           coalesce(min(s.at) FILTER (WHERE s.action IN ('APPROVE', 'REJECT')),
                    min(s.at) FILTER (WHERE s.action = 'VERIFY_DOCUMENTS')) AS served,
           min(s.nip) FILTER (WHERE s.action = 'VERIFY_DOCUMENTS') AS server,
           min(s.event_id) FILTER (WHERE s.action = 'VERIFY_DOCUMENTS') AS event_id
    FROM steps s JOIN bookings_booking b ON b.ref = s.booking_ref AND b.channel <> 'PRIORITY'
    GROUP BY s.office_id, s.booking_ref
), ranked AS (
    SELECT p.*, rank() OVER (PARTITION BY p.office_id, p.day ORDER BY checked_in) AS arrival,
           rank() OVER (PARTITION BY p.office_id, p.day ORDER BY served) AS service, c.counters
    FROM per_booking p
    JOIN (SELECT office_id, day,
                 coalesce(nullif(count(DISTINCT nip) FILTER (WHERE action IN ('APPROVE', 'REJECT')), 0),
                          count(DISTINCT nip) FILTER (WHERE action = 'VERIFY_DOCUMENTS')) AS counters
          FROM steps GROUP BY office_id, day) c ON c.office_id = p.office_id AND c.day = p.day
    WHERE checked_in IS NOT NULL AND served IS NOT NULL
), jumped AS (
    SELECT r.*, c.cluster FROM ranked r
    LEFT JOIN bookings_booking b ON b.ref = r.booking_ref
    LEFT JOIN clusters c ON c.account_id = b.account_id
    WHERE r.arrival - r.service >= r.counters + %(margin)s
)
SELECT office_id, server, count(*), max(arrival - service), array_agg(booking_ref), array_agg(event_id),
       count(*) FILTER (WHERE cluster IS NOT NULL), mode() WITHIN GROUP (ORDER BY cluster)
FROM jumped GROUP BY office_id, server HAVING count(*) >= %(min_jumps)s
"""  # noqa: S608


class QueueJumping(Detector):
    name = "queue_jumping"
    category = Category.COLLUSION
    scope = REGION
    defaults = {"margin": 1, "min_jumps": 3}

    def detect(self, ctx: Context) -> Iterable[Draft]:
        for office_id, nip, jumps, furthest, refs, events, in_clusters, cluster in ctx.rows(SQL):
            subjects = [{"staff": nip}] + ([{"cluster": cluster}] if cluster else [])
            yield Draft(
                key=f"{nip}:{office_id}", score=squash(jumps + in_clusters, 5),
                subject_type=SubjectType.STAFF, subject_id=nip,
                summary=(f"Officer served {jumps} applicants ahead of the queue (up to {furthest} places "
                         f"early), {in_clusters} of them booked by a broker cluster."),
                evidence={"jumps": jumps, "furthest_places": furthest, "in_clusters": in_clusters,
                          "top_cluster": cluster,
                          "baseline": "check-in order at the office that day, beyond the counters working"},
                subjects=subjects, office_id=office_id, staff_nips=[nip], booking_refs=refs,
                event_ids=events,
            )
