"""A broker cluster for auditors: its accounts, the identifiers they share, their bookings, and
the graph of accounts and identifiers the page draws.

The accounts are the cluster's members from the last run (``ClusterMember``) and those its
findings name (kept with the finding when a later run rebuilt the clusters). Identifiers are
read as the broker-cluster detector reads them (the account's and its bookings' phone, e-mail,
address and device, phones normalised), and only those two or more member accounts share are
kept. Everything is capped so the page costs a few queries whatever the cluster's size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from audit.masking import masked
from bookings.models import Account, Booking
from offices import access
from offices.access import Capability, Reach

from .base import phone_key
from .choices import SubjectType
from .models import ClusterMember, Finding
from .selectors import finding_list

ACCOUNTS_SHOWN = 300
IDENTIFIERS_SHOWN = 200
BOOKINGS_SHOWN = 200
#: What each kind of shared identifier is, in the auditors' words.
IDENTIFIER_KINDS = {"phone": _("Phone number"), "email": _("E-mail address"), "ip": _("IP address"),
                    "device": _("Device")}

SHARED_SQL = f"""
WITH members AS (
    SELECT id, ref, phone, email, registration_ip, registration_device
    FROM bookings_account WHERE ref = ANY(%(refs)s::text[])
), identifiers AS (
    SELECT id AS account_id, 'phone' AS kind, {phone_key('phone')} AS value FROM members WHERE phone <> ''
    UNION SELECT id, 'email', lower(email) FROM members WHERE email <> ''
    UNION SELECT id, 'ip', host(registration_ip) FROM members WHERE registration_ip IS NOT NULL
    UNION SELECT id, 'device', registration_device FROM members WHERE registration_device <> ''
    UNION SELECT b.account_id, 'phone', {phone_key('b.phone')} FROM bookings_booking b
          JOIN members m ON m.id = b.account_id WHERE b.phone <> ''
    UNION SELECT b.account_id, 'email', lower(b.email) FROM bookings_booking b
          JOIN members m ON m.id = b.account_id WHERE b.email <> ''
    UNION SELECT b.account_id, 'ip', host(b.ip) FROM bookings_booking b
          JOIN members m ON m.id = b.account_id WHERE b.ip IS NOT NULL
    UNION SELECT b.account_id, 'device', b.device FROM bookings_booking b
          JOIN members m ON m.id = b.account_id WHERE b.device <> ''
)
SELECT i.kind, i.value, array_agg(DISTINCT m.ref ORDER BY m.ref) AS refs
FROM identifiers i JOIN members m ON m.id = i.account_id
GROUP BY i.kind, i.value HAVING count(DISTINCT i.account_id) >= 2
ORDER BY count(DISTINCT i.account_id) DESC, i.kind, i.value
LIMIT %(limit)s
"""  # noqa: S608


@dataclass(frozen=True)
class SharedIdentifier:
    """One identifier two or more member accounts used, masked for the page."""

    kind: str
    value: str
    accounts: list[str]

    @property
    def kind_label(self):
        return IDENTIFIER_KINDS.get(self.kind, self.kind)


@dataclass
class Cluster:
    key: str
    findings: list[Finding] = field(default_factory=list)
    account_total: int = 0
    accounts: list[Account] = field(default_factory=list)
    identifiers: list[SharedIdentifier] = field(default_factory=list)
    bookings: list[Booking] = field(default_factory=list)
    booking_total: int = 0

    @property
    def graph(self) -> dict:
        """Nodes (accounts, identifiers) and edges (an account used an identifier) for graph.js."""
        shown = {account.ref for account in self.accounts}
        nodes = [{"id": f"a:{a.ref}", "label": a.ref, "kind": "account", "weight": a.booking_count}
                 for a in self.accounts]
        edges = []
        for index, identifier in enumerate(self.identifiers):
            node = f"i:{index}"
            nodes.append({"id": node, "label": identifier.value, "kind": identifier.kind,
                          "weight": len(identifier.accounts)})
            edges += [[f"a:{ref}", node] for ref in identifier.accounts if ref in shown]
        return {"nodes": nodes, "edges": edges}


def cluster_findings(key: str, *, user) -> QuerySet[Finding]:
    """Findings ``user`` may read about the cluster ``key``, or naming it, riskiest first."""
    return finding_list(user=user).filter(
        Q(subject_type=SubjectType.CLUSTER, subject_id=key) | Q(subjects__contains=[{"cluster": key}]))


def cluster_detail(key: str, *, user, reach: Reach | None = None) -> Cluster | None:
    """The cluster ``key`` as the page shows it; None when no finding ``user`` may read is about it."""
    findings = list(cluster_findings(key, user=user))
    if not findings:
        return None
    refs = set(ClusterMember.objects.filter(cluster=key).values_list("account_ref", flat=True))
    for finding in findings:
        if finding.subject_type == SubjectType.CLUSTER and finding.subject_id == key:
            refs.update(finding.account_refs)
    refs_list = sorted(refs)
    accounts = list(Account.objects.filter(ref__in=refs_list).annotate(booking_count=Count("bookings"))
                    .order_by("-booking_count", "ref")[:ACCOUNTS_SHOWN])
    bookings = (access.restrict(Booking.objects.select_related("office", "account"), user, Capability.VIEW,
                                reach=reach)
                .filter(account__ref__in=refs_list))
    with connections[settings.ANALYSIS_DATABASE].cursor() as cursor:
        cursor.execute(SHARED_SQL, {"refs": refs_list, "limit": IDENTIFIERS_SHOWN})
        shared = [SharedIdentifier(kind=kind, value=masked(value), accounts=list(members))
                  for kind, value, members in cursor.fetchall()]
    return Cluster(key=key, findings=findings, account_total=len(refs_list), accounts=accounts,
                   identifiers=shared,
                   bookings=list(bookings.order_by("-service_date", "-id")[:BOOKINGS_SHOWN]),
                   booking_total=bookings.count())
