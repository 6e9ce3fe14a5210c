"""Broker clusters: accounts linked by a shared phone, e-mail, device or IP, run as one.

Edges are aggregated in SQL (each identifier with the accounts that used it, at registration
or on a booking); identifiers shared by more than ``max_accounts_per_identifier`` accounts (a
carrier's shared address, an office's Wi-Fi) or allowlisted are dropped as meaningless. Python
then joins the accounts into connected components (union–find over the few thousand edges
left). A component is a broker cluster when it has at least ``min_accounts`` accounts, at
least ``min_bookings`` bookings and ``min_bookings_per_account`` per account (neighbours behind
one address book once or twice each; a broker's accounts book again and again), and people
showed up for a fair share of them: bots book for nobody, brokers sell slots real applicants
use. Licensed agencies and allowlisted accounts are left out. Families (two accounts on one
phone) stay below ``min_accounts``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..base import NETWORK, Context, Detector, Draft, exempt_account, phone_key, squash
from ..choices import Category, SubjectType
from ..models import ClusterMember

SHOWED = "('CHECKED_IN','DOCUMENTS_VERIFIED','BIOMETRICS_CAPTURED','INTERVIEWED','APPROVED'," \
         "'REJECTED','PRINTED','ISSUED')"

EDGES_SQL = f"""
WITH accounts AS (
    SELECT a.id, a.ref, a.phone, a.email, a.registration_ip, a.registration_device
    FROM bookings_account a WHERE NOT {exempt_account('a')}
), recent AS (
    SELECT b.account_id, b.phone, b.email, b.ip, b.device
    FROM bookings_booking b JOIN accounts a ON a.id = b.account_id
    WHERE b.created_at BETWEEN %(window_from)s AND %(window_to)s
), identifiers AS (
    SELECT id AS account_id, 'phone:' || {phone_key('phone')} AS ident FROM accounts WHERE phone <> ''
    UNION SELECT id, 'email:' || lower(email) FROM accounts WHERE email <> ''
    UNION SELECT id, 'ip:' || host(registration_ip) FROM accounts WHERE registration_ip IS NOT NULL
    UNION SELECT id, 'device:' || registration_device FROM accounts WHERE registration_device <> ''
    UNION SELECT account_id, 'phone:' || {phone_key('phone')} FROM recent WHERE phone <> ''
    UNION SELECT account_id, 'email:' || lower(email) FROM recent WHERE email <> ''
    UNION SELECT account_id, 'ip:' || host(ip) FROM recent WHERE ip IS NOT NULL
    UNION SELECT account_id, 'device:' || device FROM recent WHERE device <> ''
), shared AS (
    SELECT ident, array_agg(account_id ORDER BY account_id) AS members
    FROM identifiers GROUP BY ident
    HAVING count(*) BETWEEN 2 AND %(max_accounts_per_identifier)s
)
SELECT ident, members FROM shared
WHERE NOT (ident = ANY(SELECT 'phone:' || p FROM unnest(%(allow_phones)s::text[]) p)
           OR ident = ANY(SELECT 'email:' || e FROM unnest(%(allow_emails)s::text[]) e)
           OR ident = ANY(SELECT 'ip:' || i FROM unnest(%(allow_ips)s::text[]) i)
           OR ident = ANY(SELECT 'device:' || d FROM unnest(%(allow_devices)s::text[]) d))
"""  # noqa: S608

CLUSTER_FACTS_SQL = f"""
WITH members AS (
    SELECT * FROM unnest(%(member_ids)s::bigint[], %(member_clusters)s::text[]) AS m(account_id, cluster)
)
SELECT m.cluster, array_agg(DISTINCT a.ref ORDER BY a.ref),
       count(b.id), count(b.id) FILTER (WHERE b.status IN {SHOWED}),
       count(b.id) FILTER (WHERE b.service_date < %(window_to)s::date),
       array_agg(b.ref) FILTER (WHERE b.id IS NOT NULL),
       mode() WITHIN GROUP (ORDER BY b.office_id)
FROM members m JOIN bookings_account a ON a.id = m.account_id
LEFT JOIN bookings_booking b ON b.account_id = m.account_id
     AND b.created_at BETWEEN %(window_from)s AND %(window_to)s
GROUP BY m.cluster
"""  # noqa: S608


class _UnionFind:
    def __init__(self):
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        root = self.parent.setdefault(item, item)
        while root != self.parent[root]:
            root = self.parent[root]
        while item != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, first: int, second: int) -> None:
        a, b = self.find(first), self.find(second)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


class BrokerClusters(Detector):
    name = "broker_clusters"
    category = Category.BROKER
    scope = NETWORK
    defaults = {
        "history_days": 90,
        "max_accounts_per_identifier": 12,
        "min_accounts": 3,
        "min_bookings": 8,
        "min_bookings_per_account": 4,
        "min_show_rate": 0.4,
        "exempt_licensed_agencies": True,
    }

    def detect(self, ctx: Context) -> Iterable[Draft]:
        # An incremental run's window is short; clusters are judged on a longer history.
        history_from = min(ctx.window_from, ctx.window_to - dt.timedelta(days=ctx.params["history_days"]))
        extra = {"window_from": history_from}
        links = _UnionFind()
        edges = ctx.rows(EDGES_SQL, extra)
        via: dict[int, set[str]] = {}
        for ident, members in edges:
            for account_id in members[1:]:
                links.union(members[0], account_id)
            for account_id in members:
                via.setdefault(account_id, set()).add(ident.split(":", 1)[0])
        components: dict[int, list[int]] = {}
        for account_id in links.parent:
            components.setdefault(links.find(account_id), []).append(account_id)
        candidates = {root: ids for root, ids in components.items()
                      if len(ids) >= ctx.params["min_accounts"]}
        member_ids = [i for ids in candidates.values() for i in ids]
        member_clusters = [str(root) for root, ids in candidates.items() for _ in ids]
        facts = ctx.rows(CLUSTER_FACTS_SQL,
                         {**extra, "member_ids": member_ids, "member_clusters": member_clusters})
        flagged: dict[int, str] = {}
        for root, refs, bookings, showed, past, booking_refs, office_id in facts:
            show_rate = showed / past if past else 0.0
            if (bookings < ctx.params["min_bookings"] or show_rate < ctx.params["min_show_rate"]
                    or bookings < ctx.params["min_bookings_per_account"] * len(refs)):
                continue
            cluster = f"cluster-{refs[0]}"
            for account_id in candidates[int(root)]:
                flagged[account_id] = cluster
            kinds = sorted({kind for account_id in candidates[int(root)] for kind in via.get(account_id, ())})
            yield Draft(
                key=cluster, score=squash(len(refs) - 2 + bookings / 20, 2),
                subject_type=SubjectType.CLUSTER, subject_id=cluster,
                summary=(f"{len(refs)} accounts linked by shared {', '.join(kinds)} made {bookings} "
                         f"bookings, {showed} of {past} past ones attended."),
                evidence={"accounts": len(refs), "bookings": bookings, "attended": showed,
                          "past_bookings": past, "show_rate": round(show_rate, 3), "linked_by": kinds,
                          "baseline": {"min_accounts": ctx.params["min_accounts"],
                                       "identifier_cut_off": ctx.params["max_accounts_per_identifier"]}},
                subjects=[{"cluster": cluster}, *({"account": ref} for ref in refs)],
                office_id=office_id, account_refs=refs, booking_refs=booking_refs or [],
                window_from=history_from,
            )
        ctx.scratch["clusters"] = flagged

    def persist(self, ctx: Context) -> None:
        """Replace the cluster table with this run's clusters (the region parts read it)."""
        from bookings.models import Account

        flagged: dict[int, str] = ctx.scratch.get("clusters", {})
        refs = dict(Account.objects.filter(pk__in=list(flagged)).values_list("pk", "ref"))
        ClusterMember.objects.all().delete()
        ClusterMember.objects.bulk_create(
            [ClusterMember(cluster=cluster, account_id=account_id, account_ref=refs[account_id])
             for account_id, cluster in flagged.items()], batch_size=2000)
