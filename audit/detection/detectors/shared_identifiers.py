"""Shared identifiers between an officer's logins and broker accounts.

An officer who signs in from the address or device a broker's accounts use (registration,
bookings, sign-ins) sits at the broker's desk, or the broker at theirs. An office's own
network is shared by all its staff and by walk-in kiosks, so an identifier used by more than
``max_staff_per_identifier`` officers, or by more than ``max_accounts_per_identifier`` accounts,
means nothing and is dropped, as are allowlisted ones.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..base import CLUSTERS_CTE, REGION, Context, Detector, Draft, in_offices, squash
from ..choices import Category, SubjectType

SQL = f"""
WITH {CLUSTERS_CTE},
staff_ids AS (
    SELECT e.actor_id AS nip, e.office_id, 'ip' AS kind, host(e.ip) AS value, e.id AS event_id
    FROM audit_event e
    WHERE e.action = 'STAFF_LOGIN' AND e.actor_type = 'staff' AND e.ip IS NOT NULL
      AND e.at BETWEEN %(window_from)s AND %(window_to)s AND {in_offices('e.office_id')}
    UNION ALL
    SELECT e.actor_id, e.office_id, 'device', e.details ->> 'device', e.id
    FROM audit_event e
    WHERE e.action = 'STAFF_LOGIN' AND e.actor_type = 'staff' AND coalesce(e.details ->> 'device', '') <> ''
      AND e.at BETWEEN %(window_from)s AND %(window_to)s AND {in_offices('e.office_id')}
), office_networks AS (
    SELECT kind, value FROM staff_ids GROUP BY kind, value
    HAVING count(DISTINCT nip) > %(max_staff_per_identifier)s
), account_ids AS (
    SELECT c.cluster, a.ref, 'ip' AS kind, host(a.registration_ip) AS value
    FROM clusters c JOIN bookings_account a ON a.id = c.account_id WHERE a.registration_ip IS NOT NULL
    UNION SELECT c.cluster, a.ref, 'device', a.registration_device
    FROM clusters c JOIN bookings_account a ON a.id = c.account_id WHERE a.registration_device <> ''
    UNION SELECT c.cluster, a.ref, 'ip', host(b.ip)
    FROM clusters c JOIN bookings_account a ON a.id = c.account_id
    JOIN bookings_booking b ON b.account_id = a.id WHERE b.ip IS NOT NULL
    UNION SELECT c.cluster, a.ref, 'device', b.device
    FROM clusters c JOIN bookings_account a ON a.id = c.account_id
    JOIN bookings_booking b ON b.account_id = a.id WHERE b.device <> ''
    UNION SELECT c.cluster, a.ref, 'ip', host(e.ip)
    FROM audit_event e JOIN bookings_account a ON a.ref = e.actor_id
    JOIN clusters c ON c.account_id = a.id
    WHERE e.action = 'ACCOUNT_LOGIN' AND e.actor_type = 'account' AND e.ip IS NOT NULL
      AND e.at BETWEEN %(window_from)s AND %(window_to)s
), matched AS (
    SELECT s.nip, s.office_id, s.kind, s.value, s.event_id, a.cluster, a.ref
    FROM staff_ids s JOIN account_ids a ON a.kind = s.kind AND a.value = s.value
    WHERE (s.kind, s.value) NOT IN (SELECT kind, value FROM office_networks)
      AND NOT (s.kind = 'ip' AND s.value = ANY(%(allow_ips)s::text[]))
      AND NOT (s.kind = 'device' AND s.value = ANY(%(allow_devices)s::text[]))
), popular AS (
    -- Identifiers too common to mean anything (a carrier's shared address).
    SELECT m.kind, m.value FROM (SELECT DISTINCT kind, value FROM matched) m
    WHERE (SELECT count(DISTINCT b.account_id) FROM bookings_booking b
           WHERE b.ip = (CASE WHEN m.kind = 'ip' THEN m.value END)::inet
              OR b.device = CASE WHEN m.kind = 'device' THEN m.value END)
          > %(max_accounts_per_identifier)s
)
SELECT nip, office_id, cluster, array_agg(DISTINCT kind || ':' || value), array_agg(DISTINCT ref),
       array_agg(DISTINCT event_id)
FROM matched WHERE (kind, value) NOT IN (SELECT kind, value FROM popular)
GROUP BY nip, office_id, cluster
"""  # noqa: S608


class SharedIdentifiers(Detector):
    name = "officer_broker_shared_identifiers"
    category = Category.COLLUSION
    scope = REGION
    defaults = {"max_staff_per_identifier": 2, "max_accounts_per_identifier": 12}

    def detect(self, ctx: Context) -> Iterable[Draft]:
        if not ctx.clusters:
            return
        for nip, office_id, cluster, identifiers, accounts, events in ctx.rows(SQL):
            kinds = sorted({identifier.split(":", 1)[0] for identifier in identifiers})
            yield Draft(
                key=f"{nip}:{cluster}", score=squash(len(identifiers) + len(accounts) / 2, 1.5),
                subject_type=SubjectType.STAFF, subject_id=nip,
                summary=(f"Officer signed in from {len(identifiers)} {'/'.join(kinds)} identifier(s) "
                         f"also used by {len(accounts)} account(s) of {cluster}."),
                evidence={"identifiers": sorted(identifiers), "accounts": sorted(accounts),
                          "baseline": {"max_staff_per_identifier": ctx.params["max_staff_per_identifier"],
                                       "max_accounts_per_identifier":
                                           ctx.params["max_accounts_per_identifier"]}},
                subjects=[{"staff": nip}, {"cluster": cluster}], office_id=office_id, staff_nips=[nip],
                account_refs=accounts, event_ids=events,
            )
