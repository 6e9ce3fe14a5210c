"""An officer's profile for auditors: workload per day and per step against the peers at the
same office (medians), in three SQL queries over the audit trail whatever the window's size.

The window is the ``PROFILE_DAYS`` days up to the officer's last counter step (not up to today:
imported history or a posting that ended would otherwise show an empty month). The office is
where the officer did most of that work. Peers are everyone else who did counter steps there in
the window; a day's median counts the peers who worked that day, a step's median is per day
each peer worked, so a part-timer does not drag the figure down.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections

from .base import COUNTER_STEPS

PROFILE_DAYS = 28

ANCHOR_SQL = """
WITH mine AS (
    SELECT e.at, e.office_id FROM audit_event e
    WHERE e.actor_type = 'staff' AND e.actor_id = %(nip)s AND e.target_type = 'booking'
      AND e.action = ANY(%(steps)s) AND e.office_id IS NOT NULL
), last AS (SELECT max(at) AS at FROM mine)
SELECT (SELECT at FROM last), mode() WITHIN GROUP (ORDER BY office_id)
FROM mine WHERE at > (SELECT at FROM last) - %(days)s * interval '1 day'
"""

STEPS_CTE = """
WITH steps AS (
    SELECT e.actor_id AS nip, e.action, (e.at AT TIME ZONE o.timezone)::date AS day
    FROM audit_event e JOIN offices_office o ON o.id = e.office_id
    WHERE e.office_id = %(office_id)s AND e.at > %(window_from)s AND e.at <= %(window_to)s
      AND e.actor_type = 'staff' AND e.target_type = 'booking' AND e.action = ANY(%(steps)s)
)"""

PER_DAY_SQL = STEPS_CTE + """, per_day AS (
    SELECT nip, day, count(*) AS n FROM steps GROUP BY nip, day
)
SELECT day,
       coalesce(max(n) FILTER (WHERE nip = %(nip)s), 0) AS own,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY n) FILTER (WHERE nip <> %(nip)s) AS peer_median,
       count(*) FILTER (WHERE nip <> %(nip)s) AS peers
FROM per_day GROUP BY day ORDER BY day
"""  # noqa: S608 (constant text only)

PER_STEP_SQL = STEPS_CTE + """, worked AS (
    SELECT nip, count(DISTINCT day) AS days FROM steps GROUP BY nip
), counts AS (
    SELECT w.nip, a.action, count(s.nip)::float / w.days AS per_day
    FROM worked w CROSS JOIN unnest(%(steps)s::text[]) AS a(action)
    LEFT JOIN steps s ON s.nip = w.nip AND s.action = a.action
    GROUP BY w.nip, w.days, a.action
)
SELECT action,
       coalesce(max(per_day) FILTER (WHERE nip = %(nip)s), 0) AS own,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY per_day) FILTER (WHERE nip <> %(nip)s) AS peer_median,
       count(*) FILTER (WHERE nip <> %(nip)s) AS peers
FROM counts GROUP BY action
HAVING max(per_day) > 0
ORDER BY array_position(%(steps)s::text[], action)
"""  # noqa: S608 (constant text only)


@dataclass(frozen=True)
class DayLoad:
    day: dt.date
    own: int
    peer_median: float | None
    peers: int


@dataclass(frozen=True)
class StepLoad:
    action: str
    own: float
    peer_median: float | None
    peers: int

    @property
    def ratio(self) -> float | None:
        """The officer's rate over the peers' median (None without peers)."""
        return self.own / self.peer_median if self.peer_median else None


@dataclass
class Workload:
    """The officer's counter work at one office in a window, beside the peers'."""

    office_id: int | None = None
    window_from: dt.datetime | None = None
    window_to: dt.datetime | None = None
    days: list[DayLoad] = field(default_factory=list)
    steps: list[StepLoad] = field(default_factory=list)

    @property
    def days_worked(self) -> int:
        return sum(1 for day in self.days if day.own)


def _rows(sql: str, params: dict) -> list[tuple]:
    with connections[settings.ANALYSIS_DATABASE].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def officer_workload(nip: str, *, days: int = PROFILE_DAYS) -> Workload:
    """The workload of the officer ``nip`` over their last ``days`` days of counter work."""
    params = {"nip": nip, "steps": list(COUNTER_STEPS), "days": days}
    last_at, office_id = _rows(ANCHOR_SQL, params)[0]
    if last_at is None:
        return Workload()
    params |= {"office_id": office_id, "window_to": last_at, "window_from": last_at - dt.timedelta(days=days)}
    return Workload(
        office_id=office_id, window_from=params["window_from"], window_to=last_at,
        days=[DayLoad(*row) for row in _rows(PER_DAY_SQL, params)],
        steps=[StepLoad(*row) for row in _rows(PER_STEP_SQL, params)],
    )
