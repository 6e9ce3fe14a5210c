"""An index for the event search by ``source``, holding only the rare sources.

Nearly every event is written by the portal (``source = 'app'``) or loaded by the records import
(``'import'``); the rest, changes recorded by the backstop (``'backstop'``) outside the portal,
are few and are what an auditor looks for by source. The index holds those rows only: a search
for them reads a few index entries instead of the whole trail, while an insert of an app or
imported row costs one predicate test and no index entry, so the portal's writes and the COPY of
an import stay as fast as before. A search for ``app`` or ``import`` matches most of the trail
anyway and is served by the time index.

Declared on the partitioned parent like the other indexes, so every month's partition has it,
those ``audit_event_ensure_partitions`` creates later included.
"""

from django.db import migrations

ADD = """
CREATE INDEX audit_event_rare_source ON audit_event (source, at)
    WHERE source NOT IN ('app', 'import');
"""

DROP = "DROP INDEX audit_event_rare_source;"


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0010_event_hash_only_when_missing"),
    ]

    operations = [migrations.RunSQL(ADD, DROP)]
