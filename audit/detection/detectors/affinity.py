"""Officer–broker affinity: an officer handles a cluster's bookings far more often than chance.

For every office-day, SQL counts the bookings each officer on duty handled (any counter step
from check-in to approval) and the bookings each broker cluster brought. The chance that an
officer handles one given booking that day is their share of the day's bookings; over all the
days an officer and a cluster met, the expected number is the sum of those chances. The
number actually handled is tested against it (binomial tail, with the average chance), and
Benjamini–Hochberg keeps the false discovery rate at ``fdr`` over every officer–cluster pair
in the network (this detector runs once per run, over the whole network, to see them all).

A small unit where one officer serves nearly everyone gives that officer a chance near one:
handling all of a cluster's bookings there is expected, not suspicious.
"""

from __future__ import annotations

from collections.abc import Iterable

from scipy.stats import binom, false_discovery_control

from ..base import CLUSTERED, CLUSTERS_CTE, Context, Detector, Draft, squash, steps_cte
from ..choices import Category, SubjectType

HANDLING = ("CHECK_IN", "VERIFY_DOCUMENTS", "CAPTURE_BIOMETRICS", "INTERVIEW", "APPROVE", "REJECT",
            "OVERRIDE")

PAIRS_SQL = f"""
WITH {steps_cte(HANDLING)}, {CLUSTERS_CTE},
handled AS (
    SELECT DISTINCT office_id, day, booking_ref, nip FROM steps
), cluster_bookings AS (
    SELECT b.ref, c.cluster FROM bookings_booking b JOIN clusters c ON c.account_id = b.account_id
), day_total AS (
    SELECT office_id, day, count(DISTINCT booking_ref) AS n FROM handled GROUP BY office_id, day
), officer_day AS (
    SELECT office_id, day, nip, count(*) AS k FROM handled GROUP BY office_id, day, nip
), cluster_day AS (
    SELECT h.office_id, h.day, cb.cluster, count(DISTINCT h.booking_ref) AS n
    FROM handled h JOIN cluster_bookings cb ON cb.ref = h.booking_ref
    GROUP BY h.office_id, h.day, cb.cluster
), officer_cluster_day AS (
    SELECT h.office_id, h.day, cb.cluster, h.nip, count(*) AS k
    FROM handled h JOIN cluster_bookings cb ON cb.ref = h.booking_ref
    GROUP BY h.office_id, h.day, cb.cluster, h.nip
), pairs AS (
    SELECT od.nip, cd.cluster, od.office_id, sum(cd.n)::int AS n, coalesce(sum(ocd.k), 0)::int AS k,
           sum(cd.n * od.k::float / dt.n) / sum(cd.n) AS chance, count(DISTINCT cd.day)::int AS days
    FROM cluster_day cd
    JOIN officer_day od ON od.office_id = cd.office_id AND od.day = cd.day
    JOIN day_total dt ON dt.office_id = cd.office_id AND dt.day = cd.day
    LEFT JOIN officer_cluster_day ocd ON ocd.office_id = cd.office_id AND ocd.day = cd.day
         AND ocd.cluster = cd.cluster AND ocd.nip = od.nip
    GROUP BY od.nip, cd.cluster, od.office_id
), pair_refs AS (
    SELECT h.nip, cb.cluster, h.office_id, array_agg(DISTINCT h.booking_ref) AS refs
    FROM handled h JOIN cluster_bookings cb ON cb.ref = h.booking_ref
    GROUP BY h.nip, cb.cluster, h.office_id
)
SELECT p.nip, p.cluster, p.office_id, p.n, p.k, p.chance, p.days, r.refs
FROM pairs p LEFT JOIN pair_refs r ON r.nip = p.nip AND r.cluster = p.cluster AND r.office_id = p.office_id
"""  # noqa: S608

EVENTS_SQL = """
SELECT e.actor_id, e.target_id, array_agg(e.id) FROM audit_event e
WHERE e.actor_type = 'staff' AND e.target_type = 'booking' AND e.actor_id = ANY(%(nips)s)
  AND e.target_id = ANY(%(refs)s) AND e.at BETWEEN %(window_from)s AND %(window_to)s
GROUP BY e.actor_id, e.target_id
"""


class OfficerClusterAffinity(Detector):
    name = "officer_cluster_affinity"
    category = Category.COLLUSION
    scope = CLUSTERED
    defaults = {"fdr": 0.01, "min_bookings": 4, "min_excess": 0.25}

    def detect(self, ctx: Context) -> Iterable[Draft]:
        if not ctx.clusters:
            return
        pairs = [row for row in ctx.rows(PAIRS_SQL) if row[3] > 0]
        if not pairs:
            return
        p_values = [float(binom.sf(k - 1, n, min(chance, 1.0))) if k > 0 else 1.0
                    for _nip, _cluster, _office, n, k, chance, _days, _refs in pairs]
        q_values = false_discovery_control(p_values, method="bh")
        flagged = [(row, p, q) for row, p, q in zip(pairs, p_values, q_values, strict=True)
                   if q <= ctx.params["fdr"] and row[4] >= ctx.params["min_bookings"]
                   and row[4] / row[3] >= row[5] + ctx.params["min_excess"]]
        events: dict[tuple[str, str], list[int]] = {}
        if flagged:
            nips = sorted({row[0] for row, _p, _q in flagged})
            refs = sorted({ref for row, _p, _q in flagged for ref in (row[7] or [])})
            for nip, ref, ids in ctx.rows(EVENTS_SQL, {"nips": nips, "refs": refs}):
                events[(nip, ref)] = ids
        for (nip, cluster, office_id, n, k, chance, days, refs), p, q in flagged:
            refs = refs or []
            yield Draft(
                key=f"{nip}:{cluster}", score=squash(k / max(n * chance, 0.5) - 1, 2),
                subject_type=SubjectType.STAFF, subject_id=nip,
                summary=(f"Officer handled {k} of the {n} bookings of {cluster} on the {days} day(s) both "
                         f"were at the office, against {n * chance:.1f} expected from their share of the "
                         f"day's work (q = {q:.1e})."),
                evidence={"handled": k, "cluster_bookings": n, "expected": round(n * chance, 2),
                          "chance_per_booking": round(chance, 3), "days": days, "p_value": p, "q_value": q,
                          "baseline": "officer's share of the bookings handled at the office that day",
                          "pairs_tested": len(pairs)},
                subjects=[{"staff": nip}, {"cluster": cluster}], office_id=office_id, staff_nips=[nip],
                booking_refs=refs,
                event_ids=[i for ref in refs for i in events.get((nip, ref), [])],
            )
