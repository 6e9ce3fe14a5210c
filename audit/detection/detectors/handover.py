"""Passports handed over to the same third party again and again, and the officer who hands them.

A HAND_OVER names who collected the passport: the applicant, or the NIK of someone else. A
parent collecting a child's passport, or a family's passports booked on one account, is
normal; one person collecting for ``min_accounts`` or more different accounts, or
``min_collections`` passports in all, is how a broker delivers. Each such collector is
reported (as a masked NIK and a hash, never the NIK itself), and so is every officer who
handed that collector at least ``min_handed`` passports while peers at the same office
handed them markedly fewer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from bookings.identity import mask_nik

from ..base import REGION, Context, Detector, Draft, squash, steps_cte
from ..choices import Category, SubjectType

COLLECTORS_SQL = f"""
WITH {steps_cte(("HAND_OVER",))},
third_party AS (
    SELECT s.event_id, s.office_id, s.nip, s.booking_ref, s.details ->> 'collected_by' AS collector
    FROM steps s
    WHERE coalesce(s.details ->> 'collected_by', 'applicant') NOT IN ('', 'applicant')
), collectors AS (
    SELECT t.collector, count(DISTINCT t.booking_ref) AS collections,
           count(DISTINCT b.account_id) AS accounts
    FROM third_party t LEFT JOIN bookings_booking b ON b.ref = t.booking_ref
    GROUP BY t.collector
    HAVING count(DISTINCT b.account_id) >= %(min_accounts)s
        OR count(DISTINCT t.booking_ref) >= %(min_collections)s
)
SELECT c.collector, c.collections, c.accounts, t.office_id, t.nip, t.booking_ref, t.event_id, a.ref
FROM collectors c JOIN third_party t ON t.collector = c.collector
LEFT JOIN bookings_booking b ON b.ref = t.booking_ref
LEFT JOIN bookings_account a ON a.id = b.account_id
"""  # noqa: S608

HANDED_SQL = f"""
WITH {steps_cte(("HAND_OVER",))}
SELECT office_id, nip, count(*) FROM steps GROUP BY office_id, nip
"""  # noqa: S608


def collector_key(nik: str) -> str:
    """A collector's stable, NIK-free identity in findings and URLs."""
    return f"collector-{hashlib.sha256(nik.encode()).hexdigest()[:16]}"


class ThirdPartyHandOver(Detector):
    name = "third_party_hand_over"
    category = Category.COLLUSION
    scope = REGION
    defaults = {"min_accounts": 3, "min_collections": 6, "min_handed": 3, "peer_ratio": 2.0}

    def detect(self, ctx: Context) -> Iterable[Draft]:
        rows = ctx.rows(COLLECTORS_SQL)
        if not rows:
            return
        collectors: dict[str, dict] = {}
        by_officer: dict[tuple[int, str], dict] = {}
        for collector, collections, accounts, office_id, nip, ref, event_id, account in rows:
            entry = collectors.setdefault(collector, {"collections": collections, "accounts": accounts,
                                                      "refs": set(), "events": set(), "officers": set(),
                                                      "account_refs": set(), "office": office_id})
            entry["refs"].add(ref)
            entry["events"].add(event_id)
            entry["officers"].add(nip)
            if account:
                entry["account_refs"].add(account)
            officer = by_officer.setdefault((office_id, nip), {"refs": set(), "events": set(),
                                                               "collectors": set()})
            officer["refs"].add(ref)
            officer["events"].add(event_id)
            officer["collectors"].add(collector_key(collector))
        for collector, entry in collectors.items():
            key = collector_key(collector)
            yield Draft(
                key=key, category=Category.BROKER,
                score=squash(entry["accounts"] + entry["collections"] / 4, 3),
                subject_type=SubjectType.COLLECTOR, subject_id=key,
                summary=(f"One person ({mask_nik(collector)}) collected {entry['collections']} passports "
                         f"booked from {entry['accounts']} accounts."),
                evidence={"collector": mask_nik(collector), "collections": entry["collections"],
                          "accounts": entry["accounts"], "officers": sorted(entry["officers"]),
                          "baseline": {"min_accounts": ctx.params["min_accounts"],
                                       "min_collections": ctx.params["min_collections"]}},
                subjects=[{"collector": key}], office_id=entry["office"],
                account_refs=sorted(entry["account_refs"]), booking_refs=sorted(entry["refs"]),
                event_ids=sorted(entry["events"]),
            )
        handed = {(office_id, nip): count for office_id, nip, count in ctx.rows(HANDED_SQL)}
        for (office_id, nip), officer in by_officer.items():
            mine = len(officer["refs"])
            if mine < ctx.params["min_handed"]:
                continue
            peers = [(n, count) for (o, n), count in handed.items() if o == office_id and n != nip]
            peer_total = sum(count for _n, count in peers)
            peer_to_collectors = sum(len(v["refs"]) for (o, n), v in by_officer.items()
                                     if o == office_id and n != nip)
            my_rate = mine / max(handed.get((office_id, nip), mine), 1)
            peer_rate = peer_to_collectors / peer_total if peer_total else 0.0
            if peers and my_rate < ctx.params["peer_ratio"] * peer_rate:
                continue
            yield Draft(
                key=f"officer:{nip}:{office_id}", score=squash(mine * (my_rate - peer_rate), 2),
                subject_type=SubjectType.STAFF, subject_id=nip,
                summary=(f"Officer handed {mine} passports to repeat third-party collectors "
                         f"({my_rate:.0%} of their hand-overs, peers {peer_rate:.0%})."),
                evidence={"handed_to_collectors": mine, "rate": round(my_rate, 3),
                          "peer_rate": round(peer_rate, 3), "collectors": sorted(officer["collectors"]),
                          "baseline": "share of hand-overs to repeat collectors by peers at the office"},
                subjects=[{"staff": nip}, *({"collector": c} for c in sorted(officer["collectors"]))],
                office_id=office_id, staff_nips=[nip], booking_refs=sorted(officer["refs"]),
                event_ids=sorted(officer["events"]),
            )
