"""Off-hours and too-fast processing, compared with peers at the same office on the same day.

Counter work before the office opens, by one officer on a day their peers kept to the hours,
is how broker clients are served "before opening": it counts when at most ``max_peer_share``
of the other officers on duty also started early. Work after closing counts only when no other
officer stayed: a queue running late, or a day the whole office worked late (a backlog-clearing
directive, overtime ordered), keeps several officers at the counter and is not flagged.
Approvals in under ``fast_ratio`` of the office-day's median time from check-in are counted
too, where two or more officers approved that day. Findings are per officer, over all their
flagged days (at least ``min_days``, with ``min_total`` steps and approvals between them).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..base import REGION, Context, Detector, Draft, squash, steps_cte
from ..choices import Category, SubjectType

SQL = f"""
WITH {steps_cte()},
officer_day AS (
    SELECT office_id, day, nip,
           count(*) FILTER (WHERE local_at::time < opens_at) AS early,
           count(*) FILTER (WHERE local_at::time >= closes_at) AS late,
           array_agg(event_id) FILTER (WHERE local_at::time < opens_at
                                          OR local_at::time >= closes_at) AS events,
           array_agg(DISTINCT booking_ref) FILTER (WHERE local_at::time < opens_at
                                                     OR local_at::time >= closes_at) AS refs
    FROM steps WHERE action <> 'HAND_OVER' GROUP BY office_id, day, nip
), day_share AS (
    SELECT o.*, count(*) OVER w - 1 AS peers,
           count(*) FILTER (WHERE early > 0) OVER w - (early > 0)::int AS peers_early,
           count(*) FILTER (WHERE late > 0) OVER w - (late > 0)::int AS peers_late
    FROM officer_day o WINDOW w AS (PARTITION BY office_id, day)
), judged AS (
    -- Early work counts unless many peers started early too; late work only when nobody else
    -- stayed (a queue running past closing keeps several officers at the counter).
    SELECT s.*,
           CASE WHEN s.peers > 0 AND s.peers_early <= %(max_peer_share)s * s.peers THEN s.early ELSE 0 END
           + CASE WHEN s.peers > 0 AND s.peers_late = 0 THEN s.late ELSE 0 END AS off_hours
    FROM day_share s
), durations AS (
    -- Check-in to approval of each booking, and who approved it.
    SELECT office_id, min(day) AS day, booking_ref, min(nip) FILTER (WHERE action = 'APPROVE') AS nip,
           extract(epoch FROM max(at) FILTER (WHERE action = 'APPROVE')
                              - min(at) FILTER (WHERE action = 'CHECK_IN')) AS seconds
    FROM steps GROUP BY office_id, booking_ref
), fast AS (
    SELECT d.office_id, d.day, d.nip, count(*) AS fast, array_agg(d.booking_ref) AS refs
    FROM durations d
    JOIN (SELECT office_id, day, percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median,
                 count(DISTINCT nip) AS approvers
          FROM durations WHERE seconds IS NOT NULL GROUP BY office_id, day) m
      ON m.office_id = d.office_id AND m.day = d.day
    WHERE d.seconds IS NOT NULL AND m.approvers >= 2 AND d.seconds < %(fast_ratio)s * m.median
    GROUP BY d.office_id, d.day, d.nip
)
SELECT coalesce(s.office_id, f.office_id), coalesce(s.nip, f.nip), coalesce(s.day, f.day),
       coalesce(s.off_hours, 0), coalesce(f.fast, 0),
       CASE WHEN s.off_hours > 0 THEN coalesce(s.refs, '{{}}') ELSE '{{}}' END || coalesce(f.refs, '{{}}'),
       CASE WHEN s.off_hours > 0 THEN coalesce(s.events, '{{}}') ELSE '{{}}' END,
       s.peers, s.peers_early + s.peers_late
FROM judged s FULL JOIN fast f ON f.office_id = s.office_id AND f.day = s.day AND f.nip = s.nip
WHERE s.off_hours >= %(min_off_hours)s OR f.fast >= %(min_fast)s
"""  # noqa: S608


class OffHoursAndFast(Detector):
    name = "off_hours_and_fast"
    category = Category.COLLUSION
    scope = REGION
    defaults = {"min_off_hours": 3, "max_peer_share": 0.34, "fast_ratio": 0.3, "min_fast": 3,
                "min_days": 2, "min_total": 12}

    def detect(self, ctx: Context) -> Iterable[Draft]:
        officers: dict[tuple[int, str], dict] = {}
        for office_id, nip, day, off_hours, fast, refs, events, peers, peers_off in ctx.rows(SQL):
            entry = officers.setdefault((office_id, nip), {"days": [], "off": 0, "fast": 0, "refs": set(),
                                                           "events": set()})
            entry["days"].append({"day": day.isoformat(), "off_hours_steps": off_hours, "fast": fast,
                                  "peers_on_duty": peers, "peers_off_hours": peers_off})
            entry["off"] += off_hours
            entry["fast"] += fast
            entry["refs"].update(refs)
            entry["events"].update(events)
        for (office_id, nip), entry in officers.items():
            if (len(entry["days"]) < ctx.params["min_days"]
                    or entry["off"] + entry["fast"] < ctx.params["min_total"]):
                continue
            yield Draft(
                key=f"{nip}:{office_id}",
                score=squash(len(entry["days"]) + (entry["off"] + entry["fast"]) / 10, 4),
                subject_type=SubjectType.STAFF, subject_id=nip,
                summary=(f"On {len(entry['days'])} day(s) the officer worked outside the office's hours "
                         f"({entry['off']} steps) or approved unusually fast ({entry['fast']} bookings) "
                         f"while peers on duty did not."),
                evidence={"days": sorted(entry["days"], key=lambda d: d["day"]),
                          "off_hours_steps": entry["off"], "fast_approvals": entry["fast"],
                          "baseline": {"max_peer_share": ctx.params["max_peer_share"],
                                       "fast_ratio_of_office_day_median": ctx.params["fast_ratio"]}},
                subjects=[{"staff": nip}], office_id=office_id, staff_nips=[nip],
                booking_refs=sorted(entry["refs"]), event_ids=sorted(entry["events"]),
            )
