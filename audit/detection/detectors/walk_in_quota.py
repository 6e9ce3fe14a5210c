"""Walk-in insertions and quota raises that end up in a broker cluster's hands.

A walk-in inserted at the counter is reported when its contact phone or e-mail is one a broker
cluster uses (on its accounts or their bookings): the officer put a broker's client in the
queue. A quota raise is reported when ``min_share`` or more of the places it added (and at
least ``min_taken``) went to a cluster's bookings made after the raise: the head opened places
for the broker. Findings are per officer (and cluster).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..base import CLUSTERS_CTE, REGION, Context, Detector, Draft, in_offices, phone_key, squash
from ..choices import Category, SubjectType

WALK_INS_SQL = f"""
WITH {CLUSTERS_CTE},
contacts AS (
    SELECT c.cluster, 'phone:' || {phone_key('a.phone')} AS contact
    FROM clusters c JOIN bookings_account a ON a.id = c.account_id WHERE a.phone <> ''
    UNION SELECT c.cluster, 'email:' || lower(a.email)
    FROM clusters c JOIN bookings_account a ON a.id = c.account_id WHERE a.email <> ''
    UNION SELECT c.cluster, 'phone:' || {phone_key('b.phone')}
    FROM clusters c JOIN bookings_booking b ON b.account_id = c.account_id WHERE b.phone <> ''
), inserted AS (
    SELECT e.actor_id AS nip, e.office_id, e.id AS event_id, b.ref,
           'phone:' || {phone_key('b.phone')} AS phone, 'email:' || lower(b.email) AS email
    FROM audit_event e JOIN bookings_booking b ON b.ref = e.target_id
    WHERE e.action = 'WALK_IN_INSERT' AND e.actor_type = 'staff' AND e.target_type = 'booking'
      AND e.at BETWEEN %(window_from)s AND %(window_to)s AND {in_offices('e.office_id')}
)
SELECT i.nip, i.office_id, c.cluster, count(DISTINCT i.ref), array_agg(DISTINCT i.ref),
       array_agg(DISTINCT i.event_id)
FROM inserted i JOIN contacts c ON c.contact IN (i.phone, i.email)
GROUP BY i.nip, i.office_id, c.cluster HAVING count(DISTINCT i.ref) >= %(min_walk_ins)s
"""  # noqa: S608

QUOTA_SQL = f"""
WITH {CLUSTERS_CTE},
raises AS (
    SELECT e.id AS event_id, e.actor_id AS nip, e.office_id, e.at,
           (e.details ->> 'date')::date AS day,
           (e.details ->> 'new')::int - (e.details ->> 'old')::int AS added
    FROM audit_event e
    WHERE e.action = 'QUOTA_CHANGE' AND e.actor_type = 'staff'
      AND e.at BETWEEN %(window_from)s AND %(window_to)s AND {in_offices('e.office_id')}
      AND e.details ->> 'date' ~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$'
      AND e.details ->> 'new' ~ '^[0-9]+$' AND e.details ->> 'old' ~ '^[0-9]+$'
), taken AS (
    SELECT r.event_id, r.nip, r.office_id, r.day, r.added, c.cluster, count(*) AS taken,
           array_agg(b.ref) AS refs
    FROM raises r
    JOIN bookings_booking b ON b.office_id = r.office_id AND b.service_date = r.day AND b.created_at > r.at
    JOIN clusters c ON c.account_id = b.account_id
    WHERE r.added > 0
    GROUP BY r.event_id, r.nip, r.office_id, r.day, r.added, c.cluster
)
SELECT nip, office_id, cluster, count(*), sum(added)::int, sum(taken)::int, array_agg(event_id),
       array_agg(day ORDER BY day)
FROM taken WHERE taken >= %(min_taken)s AND taken >= %(min_share)s * added
GROUP BY nip, office_id, cluster
"""  # noqa: S608


class WalkInsAndQuota(Detector):
    name = "walk_ins_and_quota_raises"
    category = Category.COLLUSION
    scope = REGION
    defaults = {"min_walk_ins": 2, "min_taken": 2, "min_share": 0.5}

    def detect(self, ctx: Context) -> Iterable[Draft]:
        if not ctx.clusters:
            return
        for nip, office_id, cluster, count, refs, events in ctx.rows(WALK_INS_SQL):
            yield Draft(
                key=f"walk-in:{nip}:{cluster}", score=squash(count, 3), subject_type=SubjectType.STAFF,
                subject_id=nip,
                summary=f"Officer inserted {count} walk-ins whose contact details are those of {cluster}.",
                evidence={"walk_ins": count, "baseline": {"min_walk_ins": ctx.params["min_walk_ins"]}},
                subjects=[{"staff": nip}, {"cluster": cluster}], office_id=office_id, staff_nips=[nip],
                booking_refs=refs, event_ids=events,
            )
        for nip, office_id, cluster, raises, added, taken, events, days in ctx.rows(QUOTA_SQL):
            yield Draft(
                key=f"quota:{nip}:{cluster}", score=squash(taken / max(added, 1) * raises, 1),
                subject_type=SubjectType.STAFF, subject_id=nip,
                summary=(f"{taken} of the {added} places added by {raises} quota raise(s) went to "
                         f"bookings of {cluster}."),
                evidence={"raises": raises, "places_added": added, "taken_by_cluster": taken,
                          "days": [day.isoformat() for day in days],
                          "baseline": {"min_share": ctx.params["min_share"]}},
                subjects=[{"staff": nip}, {"cluster": cluster}], office_id=office_id, staff_nips=[nip],
                event_ids=events,
            )
