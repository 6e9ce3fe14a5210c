"""Weekly figures per office: summarised by a scheduled job, read by the network's trends.

The supervisors' trends show twelve weeks of bookings made, applications decided, no-shows and
the backlog at each week's end. Counted from the bookings on every view, that is four passes
over every booking of twelve weeks with a time-zone conversion per row (a third of a second for
200,000 bookings, growing with the network). So ``weekly_figures_refresh`` (beat, every ten
minutes) writes one ``WeeklyFigures`` row per office and week, the current week as it stands,
and ``weekly_trends`` reads them: an ended week whenever the table holds it for every office
asked about, the current week while the refresh is under ``FRESH_FOR`` old (the page says as
of when). Weeks the table does not hold, or holds too old, are counted live; so, if the
scheduled job stops, the page is slower but never wrong by more than that.

The figures mean exactly what the live counts mean (bookings/selectors_network.py
``weekly_trends``); a test holds the two equal. What a refresh does not see yet (a late
no-show mark, an import of old records) shows at the next one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from bookings.choices import BookingStatus
from offices.choices import EASTERNMOST_ZONE
from offices.models import Office

#: Ended weeks kept per office besides the current one: the trends' eleven, and two more.
WEEKS_KEPT = 13
#: How long a refresh's figures of an unfinished week are shown rather than counted live.
FRESH_FOR = dt.timedelta(minutes=20)
#: Refreshes run one at a time (the schedule's, an import's): see ``weekly_figures_refresh``.
REFRESH_LOCK_KEY = 0x7765656B6C79

# The weeks are those of the easternmost calendar for every office, as the trends' are: from
# Monday 00:00 WIT until Monday 00:00 WIB, a new week has begun in Jayapura but not yet in Jakarta,
# and the trends ask for it of every office (made nothing yet, waiting as now).
# One pass over the bookings that can matter to the kept weeks: made, decided or due in them,
# or still open (waiting or booked ahead). The backlog at each week's end is counted as
# arrivals less departures, summed over the weeks in order: a live booking arrives in the week
# it is both made and due, and leaves in the week it is decided, cancelled or marked absent
# (never before it arrived); whatever moved before the first kept week counts in that week, and
# what arrives or leaves after the office's today has not, yet.
REFRESH_SQL = """
WITH weeks AS (
    SELECT o.id AS office_id, w::date AS monday, timezone(o.timezone, %(now)s)::date AS today,
           min(w::date) OVER (PARTITION BY o.id) AS first_monday
    FROM offices_office o
    CROSS JOIN generate_series(
        date_trunc('week', timezone(%(east)s, %(now)s)) - make_interval(weeks => %(kept)s),
        date_trunc('week', timezone(%(east)s, %(now)s)),
        interval '1 week') AS w
),
firsts AS (SELECT DISTINCT office_id, first_monday, today FROM weeks),
recent AS (
    SELECT b.office_id, b.status, b.imported, b.service_date,
           timezone(o.timezone, b.created_at)::date AS made_on,
           timezone(o.timezone, coalesce(b.approved_at, b.rejected_at))::date AS decided_on,
           timezone(o.timezone, least(b.approved_at, b.rejected_at, b.cancelled_at, b.no_show_at))::date
               AS left_on
    FROM bookings_booking b
    JOIN offices_office o ON o.id = b.office_id
    WHERE b.created_at <= %(now)s
      AND (b.created_at >= %(since)s OR b.service_date >= %(since)s::date
           OR coalesce(b.approved_at, b.rejected_at) >= %(since)s
           OR least(b.approved_at, b.rejected_at, b.cancelled_at, b.no_show_at) IS NULL
           OR least(b.approved_at, b.rejected_at, b.cancelled_at, b.no_show_at) >= %(since)s)
),
made AS (
    SELECT office_id, date_trunc('week', made_on::timestamp)::date AS monday, count(*) AS n
    FROM recent GROUP BY 1, 2
),
decided AS (
    SELECT office_id, date_trunc('week', decided_on::timestamp)::date AS monday, count(*) AS n
    FROM recent WHERE decided_on IS NOT NULL GROUP BY 1, 2
),
no_shows AS (
    SELECT office_id, date_trunc('week', service_date::timestamp)::date AS monday, count(*) AS n
    FROM recent WHERE status = %(no_show)s GROUP BY 1, 2
),
spans AS (
    SELECT r.office_id, f.first_monday, greatest(r.made_on, r.service_date) AS arrived_on,
           CASE WHEN r.left_on <= f.today THEN r.left_on END AS left_on
    FROM recent r JOIN firsts f USING (office_id)
    WHERE NOT r.imported AND greatest(r.made_on, r.service_date) <= f.today
),
moves AS (
    SELECT office_id, monday, sum(delta) AS n
    FROM (SELECT office_id, greatest(date_trunc('week', arrived_on::timestamp)::date, first_monday) AS monday,
                 1 AS delta
          FROM spans
          UNION ALL
          SELECT office_id,
                 greatest(date_trunc('week', greatest(arrived_on, left_on)::timestamp)::date, first_monday),
                 -1
          FROM spans WHERE left_on IS NOT NULL) AS each_move
    GROUP BY 1, 2
)
INSERT INTO bookings_weeklyfigures (office_id, monday, complete, made, decided, no_shows, waiting_at_end,
                                    refreshed_at)
SELECT w.office_id, w.monday, w.monday + 7 <= w.today, coalesce(m.n, 0), coalesce(d.n, 0), coalesce(x.n, 0),
       sum(coalesce(mv.n, 0)) OVER (PARTITION BY w.office_id ORDER BY w.monday), %(now)s
FROM weeks w
LEFT JOIN made m USING (office_id, monday)
LEFT JOIN decided d USING (office_id, monday)
LEFT JOIN no_shows x USING (office_id, monday)
LEFT JOIN moves mv USING (office_id, monday)
"""


def weekly_figures_refresh(*, now: dt.datetime | None = None) -> int:
    """Rebuild the figures of every office's weeks as of ``now``; the number of rows.

    One transaction: readers see the previous figures until the new ones commit. A second
    refresh meanwhile waits for it, then rebuilds from what has committed by then: two at once
    would each delete what they see and insert the same weeks, and the second insert would fail.
    """
    now = now or timezone.now()
    # Coarse bound for the scan: before the first kept week in any zone (the index can use it).
    since = now - dt.timedelta(weeks=WEEKS_KEPT + 2)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFRESH_LOCK_KEY])
        cursor.execute("DELETE FROM bookings_weeklyfigures")
        cursor.execute(REFRESH_SQL, {"now": now, "since": since, "kept": WEEKS_KEPT, "east": EASTERNMOST_ZONE,
                                     "no_show": BookingStatus.NO_SHOW})
        return cursor.rowcount


SUMMARISED_SQL = """
SELECT f.monday, sum(f.made), sum(f.decided), sum(f.no_shows), sum(f.waiting_at_end),
       bool_and(f.complete), min(f.refreshed_at),
       count(*) = (SELECT count(*) FROM ({offices}) AS asked) AS everyone
FROM bookings_weeklyfigures f
WHERE f.office_id IN ({offices}) AND f.monday = ANY(%s)
GROUP BY f.monday
"""


@dataclass(frozen=True)
class Summary:
    """One week's figures summed over the offices asked about, as of ``as_of``."""

    made: int
    decided: int
    no_shows: int
    waiting_at_end: int
    complete: bool
    as_of: dt.datetime

    def usable(self, now: dt.datetime) -> bool:
        """An ended week's summary stands; an unfinished week's only while it is fresh."""
        return self.complete or dt.timedelta(0) <= now - self.as_of <= FRESH_FOR


def summarised_weeks(offices: QuerySet[Office], mondays: list[dt.date]) -> dict[dt.date, Summary]:
    """The summed figures of those of ``mondays`` that the table holds for every one of
    ``offices``; a week held for only some is left out."""
    ids, params = offices.order_by().values("pk").query.sql_with_params()
    sql = SUMMARISED_SQL.format(offices=ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *params, list(mondays)])
        return {monday: Summary(*figures) for monday, *figures, everyone in cursor.fetchall() if everyone}
