"""Fictitious applications: identities that cannot be real, and bookings nobody comes for.

Per booking, SQL checks the NIK's structure (16 digits, a province code, regency, district
and serial not zero) and its agreement with the birth date (digits 7–12 as DDMMYY, 40 added
to the day for women); it finds one NIK booked from ``nik_accounts_min`` accounts or more, and
runs of ``run_min`` or more consecutive NIKs (same first twelve digits, serials one apart)
across different bookings. Accounts whose ``no_show_min`` or more past bookings were never
attended are reported too. Findings are per account (with the bookings behind them), and per
booking for walk-ins, which have no account.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..base import ACCOUNTS, Context, Detector, Draft, exempt_account, squash
from ..choices import Category, SubjectType
from .clusters import SHOWED

PROVINCES = ("11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36",
             "51", "52", "53", "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76", "81",
             "82", "91", "92", "93", "94", "95", "96")
PROVINCE_LIST = ",".join(f"'{code}'" for code in PROVINCES)

BOOKINGS_SQL = f"""
WITH scope AS (
    SELECT b.id, b.ref, b.account_id, b.nik, b.birth_date, b.status, b.service_date, b.office_id
    FROM bookings_booking b
    -- An anonymised booking has no NIK left to judge (a run over old history meets them).
    WHERE b.created_at BETWEEN %(window_from)s AND %(window_to)s AND b.anonymised_at IS NULL
), checked AS (
    SELECT s.*,
           NOT (s.nik ~ '^[0-9]{{16}}$' AND substr(s.nik, 1, 2) IN ({PROVINCE_LIST})
                AND substr(s.nik, 3, 2) <> '00' AND substr(s.nik, 5, 2) <> '00'
                AND substr(s.nik, 13, 4) <> '0000') AS invalid,
           -- Digits 7-12 against the birth date given (day + 40 for women).
           s.nik ~ '^[0-9]{{16}}$' AND NOT (
               (substr(s.nik, 7, 2)::int = extract(day FROM s.birth_date)
                OR substr(s.nik, 7, 2)::int = extract(day FROM s.birth_date) + 40)
               AND substr(s.nik, 9, 2)::int = extract(month FROM s.birth_date)
               AND substr(s.nik, 11, 2)::int = extract(year FROM s.birth_date)::int %% 100) AS disagrees
    FROM scope s
), shared_nik AS (
    SELECT nik FROM scope WHERE account_id IS NOT NULL
    GROUP BY nik HAVING count(DISTINCT account_id) >= %(nik_accounts_min)s
), serials AS (
    -- Gaps and islands: consecutive serials under one prefix share serial - row_number().
    SELECT id, substr(nik, 1, 12) AS prefix,
           substr(nik, 13, 4)::int - dense_rank() OVER (PARTITION BY substr(nik, 1, 12)
                                                        ORDER BY substr(nik, 13, 4)::int) AS island
    FROM scope WHERE nik ~ '^[0-9]{{16}}$'
), runs AS (
    -- The length of each island by a window over it, not a join back to its count: the planner,
    -- misjudging a short window as a row or two, rescanned such a join's aggregate for every row.
    SELECT id FROM (SELECT id, count(*) OVER (PARTITION BY prefix, island) AS length FROM serials) s
    WHERE length >= %(run_min)s
)
SELECT c.id, c.ref, a.ref, c.office_id, c.invalid, c.disagrees,
       c.nik IN (SELECT nik FROM shared_nik), c.id IN (SELECT id FROM runs)
FROM checked c LEFT JOIN bookings_account a ON a.id = c.account_id
WHERE (a.id IS NULL OR NOT {exempt_account('a')})
  AND (c.invalid OR c.disagrees OR c.nik IN (SELECT nik FROM shared_nik) OR c.id IN (SELECT id FROM runs))
"""  # noqa: S608

NO_SHOW_SQL = f"""
SELECT a.ref, count(*), array_agg(b.ref), mode() WITHIN GROUP (ORDER BY b.office_id)
FROM bookings_booking b JOIN bookings_account a ON a.id = b.account_id
WHERE b.created_at BETWEEN %(window_from)s AND %(window_to)s
  AND b.service_date < %(window_to)s::date AND b.status <> 'CANCELLED'
  AND NOT {exempt_account('a')}
GROUP BY a.ref
HAVING count(*) >= %(no_show_min)s AND count(*) FILTER (WHERE b.status IN {SHOWED}) = 0
"""  # noqa: S608

REASONS = ("invalid NIK", "NIK disagrees with birth date", "NIK used by several accounts",
           "run of consecutive NIKs")


class FictitiousApplications(Detector):
    name = "fictitious_applications"
    category = Category.FICTITIOUS
    scope = ACCOUNTS
    defaults = {
        "nik_accounts_min": 3,
        "run_min": 4,
        "no_show_min": 5,
        "exempt_licensed_agencies": True,
    }

    def detect(self, ctx: Context) -> Iterable[Draft]:
        per_account: dict[str, dict] = {}
        for _id, ref, account, office_id, *flags in ctx.rows(BOOKINGS_SQL):
            reasons = [reason for reason, flag in zip(REASONS, flags, strict=True) if flag]
            if account is None:
                yield Draft(
                    key=f"booking:{ref}", score=squash(len(reasons), 1), subject_type=SubjectType.BOOKING,
                    subject_id=ref, summary=f"Walk-in booking with {', '.join(reasons)}.",
                    evidence={"reasons": reasons}, subjects=[{"booking": ref}], office_id=office_id,
                    booking_refs=[ref])
                continue
            entry = per_account.setdefault(account, {"refs": [], "reasons": {}, "office": office_id})
            entry["refs"].append(ref)
            for reason in reasons:
                entry["reasons"][reason] = entry["reasons"].get(reason, 0) + 1
        no_shows = {ref: (count, refs, office) for ref, count, refs, office in ctx.rows(NO_SHOW_SQL)}
        for account in sorted(set(per_account) | set(no_shows)):
            entry = per_account.get(account, {"refs": [], "reasons": {}, "office": None})
            reasons = dict(entry["reasons"])
            refs = list(entry["refs"])
            if account in no_shows:
                count, missed, office = no_shows[account]
                reasons[f"none of {count} past bookings attended"] = count
                refs += missed
                entry["office"] = entry["office"] or office
            bad = len(set(refs))
            yield Draft(
                key=f"account:{account}", score=squash(bad, 3), subject_type=SubjectType.ACCOUNT,
                subject_id=account,
                summary=(f"{bad} booking(s) of this account look fictitious: "
                         + "; ".join(f"{why} ({count})" for why, count in sorted(reasons.items())) + "."),
                evidence={"bookings": bad, "reasons": reasons,
                          "baseline": {"nik_accounts_min": ctx.params["nik_accounts_min"],
                                       "run_min": ctx.params["run_min"],
                                       "no_show_min": ctx.params["no_show_min"]}},
                subjects=[{"account": account}], office_id=entry["office"], account_refs=[account],
                booking_refs=refs,
            )
