"""The index of the rare sources: on the trail and on every month's partition, serving the search by
``source=backstop``, and holding no row written by the portal or loaded by an import."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from audit.filters import EventFilter
from audit.models import Event
from audit.partitions import partitions_ensure

INDEX = "audit_event_rare_source"


def _one(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _partition_index(partition: str) -> tuple[str, str] | None:
    """(definition, predicate) of ``partition``'s index attached to the trail's rare-source index."""
    return _one("""SELECT pg_get_indexdef(i.indexrelid), pg_get_expr(i.indpred, i.indrelid)
                   FROM pg_inherits h JOIN pg_index i ON i.indexrelid = h.inhrelid
                   WHERE h.inhparent = %s::regclass AND i.indrelid = %s::regclass""", [INDEX, partition])


def test_the_trail_has_the_index_on_source_and_time_for_sources_other_than_app_and_import(db):
    definition, predicate = _one("""SELECT pg_get_indexdef(i.indexrelid), pg_get_expr(i.indpred, i.indrelid)
                                    FROM pg_index i WHERE i.indexrelid = %s::regclass""", [INDEX])
    assert "ON ONLY public.audit_event USING btree (source, at)" in definition
    assert "'app'" in predicate and "'import'" in predicate


def test_a_month_partition_made_later_gets_the_index(db):
    assert partitions_ensure(ahead=0, today=dt.date(2033, 4, 9)) == 1
    definition, predicate = _partition_index("audit_event_y2033m04")
    assert "btree (source, at)" in definition
    assert "'app'" in predicate and "'import'" in predicate


def test_the_default_partition_has_the_index(db):
    assert _partition_index("audit_event_default") is not None


def _events(count: int, source: str, start: dt.datetime) -> None:
    with connection.cursor() as cursor:
        cursor.execute("""INSERT INTO audit_event (at, actor_type, actor_id, action, target_type, target_id, source)
                          SELECT %s + n * interval '1 minute', 'system', 'tests', 'STAFF_LOGIN', 'staff', n::text, %s
                          FROM generate_series(1, %s) AS n""", [start, source, count])


def test_the_search_for_backstop_events_reads_the_index(db):
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=3)
    _events(3000, "app", start)
    _events(2000, "import", start)
    _events(4, "backstop", start)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_event")
    search = EventFilter({"source": "backstop"}, queryset=Event.objects.all())
    assert search.is_valid()
    matches = search.qs.order_by("-at", "-id")
    assert matches.count() == 4
    plan = matches[:51].explain()
    # Each partition's copy of the index has a name of its own.
    event_partition = _one("SELECT tableoid::regclass::text FROM audit_event WHERE source = 'backstop' LIMIT 1")[0]
    copy = _partition_index(event_partition)[0].split()[2]
    assert copy in plan.split(), plan
    # The common sources are not in it: their search reads the trail as before.
    plan = EventFilter({"source": "import"}, queryset=Event.objects.all()).qs.explain()
    assert copy not in plan.split(), plan
