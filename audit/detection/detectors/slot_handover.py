"""Slot hand-over: a cluster account cancels and a linked account takes the same slot minutes later.

A broker holds slots on some accounts and passes each to a paying client by cancelling it and
booking it again, for another person, from a linked account, before anyone else can take it.
SQL joins each cancellation by a cluster account to bookings for the same office, day and
slot made within ``minutes`` afterwards by another account of the same cluster for another
NIK. Freed slots taken by strangers are how a queue should work and are not reported.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..base import CLUSTERS_CTE, REGION, Context, Detector, Draft, in_offices, squash
from ..choices import Category, SubjectType

SQL = f"""
WITH {CLUSTERS_CTE},
cancelled AS (
    SELECT b.ref, b.nik, b.account_id, b.office_id, b.service_date, b.slot_time, c.cluster,
           e.at AS cancelled_at, e.id AS event_id
    FROM audit_event e JOIN bookings_booking b ON b.ref = e.target_id
    JOIN clusters c ON c.account_id = b.account_id
    WHERE e.action IN ('BOOKING_CANCEL', 'CANCEL') AND e.target_type = 'booking'
      AND e.at BETWEEN %(window_from)s AND %(window_to)s AND {in_offices('b.office_id')}
), handed AS (
    SELECT x.cluster, x.office_id, x.ref AS released, b.ref AS taken, x.event_id,
           extract(epoch FROM b.created_at - x.cancelled_at) AS seconds
    FROM cancelled x
    JOIN bookings_booking b ON b.office_id = x.office_id AND b.service_date = x.service_date
         AND b.slot_time = x.slot_time AND b.created_at > x.cancelled_at
         AND b.created_at <= x.cancelled_at + make_interval(mins => %(minutes)s) AND b.nik <> x.nik
    JOIN clusters c ON c.account_id = b.account_id AND c.cluster = x.cluster
)
SELECT cluster, count(*), array_agg(released), array_agg(taken), array_agg(event_id),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds), mode() WITHIN GROUP (ORDER BY office_id)
FROM handed GROUP BY cluster HAVING count(*) >= %(min_handovers)s
"""  # noqa: S608


class SlotHandOver(Detector):
    name = "slot_hand_over"
    category = Category.BROKER
    scope = REGION
    defaults = {"minutes": 15, "min_handovers": 2}

    def detect(self, ctx: Context) -> Iterable[Draft]:
        if not ctx.clusters:
            return
        for cluster, count, released, taken, events, median, office_id in ctx.rows(SQL):
            yield Draft(
                key=cluster, score=squash(count, 3), subject_type=SubjectType.CLUSTER, subject_id=cluster,
                summary=(f"{count} slots were cancelled by accounts of {cluster} and taken again by "
                         f"linked accounts for other people, a median {median / 60:.1f} minutes later."),
                evidence={"hand_overs": count, "median_minutes": round(median / 60, 1),
                          "baseline": {"within_minutes": ctx.params["minutes"]}},
                subjects=[{"cluster": cluster}], office_id=office_id, booking_refs=[*released, *taken],
                event_ids=events,
            )
