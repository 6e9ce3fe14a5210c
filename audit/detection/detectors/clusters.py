"""Broker clusters: accounts linked by a shared phone, e-mail, device or IP, run as one.

Edges are aggregated in SQL (each identifier with the accounts that used it, at registration
or on a booking); identifiers shared by more than ``max_accounts_per_identifier`` accounts (a
carrier's shared address, an office's Wi-Fi) or allowlisted are dropped as meaningless. Python
then joins the accounts into connected components (scipy's ``connected_components`` over the
edges left). A component is a broker cluster when it has at least ``min_accounts`` accounts, at
least ``min_bookings`` bookings and ``min_bookings_per_account`` per account (neighbours behind
one address book once or twice each; a broker's accounts book again and again), and people
showed up for a fair share of them: bots book for nobody, brokers sell slots real applicants
use. Licensed agencies and allowlisted accounts are left out. Families (two accounts on one
phone) stay below ``min_accounts``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ..base import NETWORK, Context, Detector, Draft, exempt_account, phone_key, squash
from ..choices import Category, SubjectType
from ..models import ClusterMember

SHOWED = "('CHECKED_IN','DOCUMENTS_VERIFIED','BIOMETRICS_CAPTURED','INTERVIEWED','APPROVED'," \
         "'REJECTED','PRINTED','ISSUED')"

# One row per identifier an account used in the history: at registration, for an account
# registered or booking in it, and on each booking made in it. An account seen only before the
# history links nobody: its registration address or number may have passed to someone else
# since (carriers re-lease addresses and recycle numbers), and most accounts ever registered
# are such, so leaving them out also spares every run most of the rows. Each row of the
# accounts (and bookings) is read once and spread into its identifiers, so the scans run in
# parallel; the identifiers are grouped in byte order (COLLATE "C": no locale rules to apply
# to millions of keys), and the one DISTINCT aggregate both lists and counts the accounts.
EDGES_SQL = f"""
WITH identifiers AS (
    SELECT a.id AS account_id, x.ident
    FROM bookings_account a
    CROSS JOIN LATERAL (VALUES
        (CASE WHEN a.phone <> '' THEN 'phone:' || {phone_key('a.phone')} END),
        (CASE WHEN a.email <> '' THEN 'email:' || lower(a.email) END),
        (CASE WHEN a.registration_ip IS NOT NULL THEN 'ip:' || host(a.registration_ip) END),
        (CASE WHEN a.registration_device <> '' THEN 'device:' || a.registration_device END)) AS x(ident)
    WHERE NOT {exempt_account('a')} AND x.ident IS NOT NULL
      AND (a.created_at BETWEEN %(window_from)s AND %(window_to)s
           OR a.id IN (SELECT b.account_id FROM bookings_booking b
                       WHERE b.created_at BETWEEN %(window_from)s AND %(window_to)s))
    UNION ALL
    SELECT b.account_id, x.ident
    FROM bookings_booking b JOIN bookings_account a ON a.id = b.account_id
    CROSS JOIN LATERAL (VALUES
        (CASE WHEN b.phone <> '' THEN 'phone:' || {phone_key('b.phone')} END),
        (CASE WHEN b.email <> '' THEN 'email:' || lower(b.email) END),
        (CASE WHEN b.ip IS NOT NULL THEN 'ip:' || host(b.ip) END),
        (CASE WHEN b.device <> '' THEN 'device:' || b.device END)) AS x(ident)
    WHERE b.created_at BETWEEN %(window_from)s AND %(window_to)s AND NOT {exempt_account('a')}
      AND x.ident IS NOT NULL
), shared AS (
    SELECT ident COLLATE "C" AS ident, array_agg(DISTINCT account_id ORDER BY account_id) AS members
    FROM identifiers GROUP BY ident COLLATE "C"
    HAVING cardinality(array_agg(DISTINCT account_id ORDER BY account_id))
           BETWEEN 2 AND %(max_accounts_per_identifier)s
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
), booked AS (
    -- Only a component that made ``min_bookings`` bookings in the history can be a broker's:
    -- most make none, and are not read further.
    SELECT m.cluster FROM members m
    JOIN bookings_booking b ON b.account_id = m.account_id
         AND b.created_at BETWEEN %(window_from)s AND %(window_to)s
    GROUP BY m.cluster HAVING count(*) >= %(min_bookings)s
)
SELECT m.cluster, array_agg(DISTINCT a.ref ORDER BY a.ref),
       count(b.id), count(b.id) FILTER (WHERE b.status IN {SHOWED}),
       count(b.id) FILTER (WHERE b.service_date < %(window_to)s::date),
       array_agg(b.ref ORDER BY b.ref) FILTER (WHERE b.id IS NOT NULL),
       mode() WITHIN GROUP (ORDER BY b.office_id)
FROM members m JOIN booked USING (cluster) JOIN bookings_account a ON a.id = m.account_id
LEFT JOIN bookings_booking b ON b.account_id = m.account_id
     AND b.created_at BETWEEN %(window_from)s AND %(window_to)s
GROUP BY m.cluster
"""  # noqa: S608


def _components(edges: list[tuple[str, list[int]]], *, smallest: int) -> dict[int, list[int]]:
    """The connected components of at least ``smallest`` accounts, keyed by their lowest account id.

    Each identifier links its accounts (a star from the first); scipy's ``connected_components``
    walks the hundreds of thousands of links in compiled code.
    """
    heads = [members[0] for _ident, members in edges for _ in members[1:]]
    tails = [account_id for _ident, members in edges for account_id in members[1:]]
    if not heads:
        return {}
    ids, index = np.unique(np.array(heads + tails, dtype=np.int64), return_inverse=True)
    links = coo_matrix((np.ones(len(heads), dtype=np.int8), (index[:len(heads)], index[len(heads):])),
                       shape=(len(ids), len(ids)))
    _count, labels = connected_components(links, directed=False)
    kept = np.flatnonzero(np.bincount(labels)[labels] >= smallest)  # ascending, as ``ids`` is
    if not len(kept):
        return {}
    kept = kept[np.argsort(labels[kept], kind="stable")]  # by component, ids ascending within each
    starts = np.flatnonzero(np.r_[True, labels[kept][1:] != labels[kept][:-1]])
    return {members[0]: members for members in (part.tolist() for part in np.split(ids[kept], starts[1:]))}


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
        edges = ctx.rows(EDGES_SQL, extra)
        candidates = _components(edges, smallest=ctx.params["min_accounts"])
        in_candidates = {account_id for ids in candidates.values() for account_id in ids}
        via: dict[int, set[str]] = {}
        for ident, members in edges:
            if members[0] in in_candidates:  # a component holds all of an identifier's accounts
                for account_id in members:
                    via.setdefault(account_id, set()).add(ident.split(":", 1)[0])
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
