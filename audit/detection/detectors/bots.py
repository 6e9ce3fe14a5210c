"""Bots: accounts and devices that book at a rate or volume no person reaches.

Per account, SQL counts bookings made and refused in the window, the busiest hour and day,
and how many of its past bookings anyone showed up for. An account is a bot when its
busiest hour or day is beyond a person (``peak_hour_min``, ``peak_day_min``), or when it
booked ``volume_min`` times and hardly anybody came (``max_show_rate``): brokers book a lot
too, but their clients come; or when ``fast_attempts_min`` attempts came a median of
``max_median_gap_seconds`` or less apart, faster than anyone fills in a form. Licensed
agencies (collective hajj and umrah sessions) and allowlisted accounts are exempt. Devices
that book beyond ``device_hour_min`` in an hour across several accounts are reported as well.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..base import ACCOUNTS, Context, Detector, Draft, exempt_account, squash
from ..choices import Category, SubjectType
from .clusters import SHOWED

ACCOUNTS_SQL = f"""
WITH made AS (
    SELECT b.account_id, b.id, b.ref, b.created_at, b.status, b.service_date
    FROM bookings_booking b
    WHERE b.account_id IS NOT NULL AND b.created_at BETWEEN %(window_from)s AND %(window_to)s
), refused AS (
    SELECT e.actor_id AS ref, e.at AS created_at FROM audit_event e
    WHERE e.action = 'BOOK_REFUSED' AND e.actor_type = 'account'
      AND e.at BETWEEN %(window_from)s AND %(window_to)s
), attempts AS (
    SELECT a.id AS account_id, m.created_at FROM made m JOIN bookings_account a ON a.id = m.account_id
    UNION ALL
    SELECT a.id, r.created_at FROM refused r JOIN bookings_account a ON a.ref = r.ref
), peaks AS (
    SELECT account_id, max(per_hour) AS peak_hour, max(per_day)::int AS peak_day,
           sum(per_hour)::int AS attempts
    FROM (SELECT account_id, count(*) AS per_hour,
                 sum(count(*)) OVER (PARTITION BY account_id,
                                          date_trunc('day', date_trunc('hour', created_at))) AS per_day
          FROM attempts GROUP BY account_id, date_trunc('hour', created_at)) hourly
    GROUP BY account_id
), gaps AS (
    -- A person needs more than a few seconds to fill in a booking form; a script does not.
    SELECT account_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS median_gap FROM (
        SELECT account_id, extract(epoch FROM created_at - lag(created_at) OVER (
                   PARTITION BY account_id ORDER BY created_at)) AS gap
        FROM attempts) g
    WHERE gap IS NOT NULL GROUP BY account_id
), volume AS (
    SELECT account_id, count(*) AS bookings,
           count(*) FILTER (WHERE service_date < %(window_to)s::date) AS past,
           count(*) FILTER (WHERE status IN {SHOWED}) AS showed,
           array_agg(ref) AS refs
    FROM made GROUP BY account_id
)
SELECT a.ref, p.attempts, p.peak_hour, p.peak_day, coalesce(v.bookings, 0), coalesce(v.past, 0),
       coalesce(v.showed, 0), coalesce(v.refs, '{{}}'), g.median_gap
FROM peaks p JOIN bookings_account a ON a.id = p.account_id
LEFT JOIN volume v ON v.account_id = p.account_id
LEFT JOIN gaps g ON g.account_id = p.account_id
WHERE NOT {exempt_account('a')}
  AND (p.peak_hour >= %(peak_hour_min)s OR p.peak_day >= %(peak_day_min)s
       OR (p.attempts >= %(fast_attempts_min)s AND g.median_gap <= %(max_median_gap_seconds)s)
       OR (p.attempts >= %(volume_min)s
           AND coalesce(v.showed, 0) <= %(max_show_rate)s * greatest(coalesce(v.past, 0), 1)))
"""  # noqa: S608

DEVICES_SQL = f"""
WITH made AS (
    SELECT b.device AS ident, 'device' AS kind, b.account_id, b.ref, b.created_at FROM bookings_booking b
    JOIN bookings_account a ON a.id = b.account_id
    WHERE b.device <> '' AND NOT b.device = ANY(%(allow_devices)s::text[]) AND NOT {exempt_account('a')}
      AND b.created_at BETWEEN %(window_from)s AND %(window_to)s
), hourly AS (
    SELECT kind, ident, date_trunc('hour', created_at) AS hour, count(*) AS n,
           count(DISTINCT account_id) AS accounts
    FROM made GROUP BY kind, ident, date_trunc('hour', created_at)
), busy AS (
    SELECT kind, ident, max(n) AS peak_hour, max(accounts) AS peak_accounts FROM hourly
    GROUP BY kind, ident HAVING max(n) >= %(device_hour_min)s AND max(accounts) >= 2
)
SELECT b.kind, b.ident, b.peak_hour, count(m.ref), array_agg(DISTINCT a.ref), array_agg(m.ref)
FROM busy b JOIN made m ON m.kind = b.kind AND m.ident = b.ident
JOIN bookings_account a ON a.id = m.account_id
GROUP BY b.kind, b.ident, b.peak_hour
"""  # noqa: S608


class Bots(Detector):
    name = "bots"
    category = Category.BOT
    scope = ACCOUNTS
    defaults = {
        "peak_hour_min": 12,
        "peak_day_min": 25,
        "volume_min": 30,
        "max_show_rate": 0.25,
        "fast_attempts_min": 4,
        "max_median_gap_seconds": 10,
        "device_hour_min": 40,
        "exempt_licensed_agencies": True,
    }

    def detect(self, ctx: Context) -> Iterable[Draft]:
        p = ctx.params
        for ref, attempts, peak_hour, peak_day, bookings, past, showed, refs, gap in ctx.rows(ACCOUNTS_SQL):
            fast = (p["max_median_gap_seconds"] / max(gap, 1)) if gap is not None \
                and attempts >= p["fast_attempts_min"] else 0
            strength = max(peak_hour / p["peak_hour_min"], peak_day / p["peak_day_min"],
                           attempts / p["volume_min"] * (1 - (showed / past if past else 0)), fast)
            yield Draft(
                key=f"account:{ref}", score=squash(strength, 0.6), subject_type=SubjectType.ACCOUNT,
                subject_id=ref,
                summary=(f"Account made {attempts} booking attempts, up to {peak_hour} in one hour and "
                         f"{peak_day} in one day, a median {gap or 0:.0f} s apart; {showed} of {past} "
                         f"past bookings attended."),
                evidence={"attempts": attempts, "bookings": bookings, "peak_hour": peak_hour,
                          "median_seconds_between_attempts": gap,
                          "peak_day": peak_day, "past_bookings": past, "attended": showed,
                          "baseline": {"peak_hour_min": p["peak_hour_min"], "peak_day_min": p["peak_day_min"],
                                       "volume_min": p["volume_min"], "max_show_rate": p["max_show_rate"],
                                       "max_median_gap_seconds": p["max_median_gap_seconds"]}},
                subjects=[{"account": ref}], account_refs=[ref], booking_refs=refs,
            )
        for kind, ident, peak_hour, bookings, accounts, refs in ctx.rows(DEVICES_SQL):
            yield Draft(
                key=f"{kind}:{ident}", score=squash(peak_hour / p["device_hour_min"], 1),
                subject_type=SubjectType.DEVICE, subject_id=ident,
                summary=(f"One {kind} booked {peak_hour} times in an hour for {len(accounts)} accounts "
                         f"({bookings} bookings in all)."),
                evidence={"peak_hour": peak_hour, "bookings": bookings, "accounts": len(accounts),
                          "baseline": {"device_hour_min": p["device_hour_min"]}},
                subjects=[{kind: ident}], account_refs=accounts, booking_refs=refs,
            )
