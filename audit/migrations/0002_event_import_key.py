"""Records import: a fingerprint column on audit events, unique per imported record.

Imported events have no identifier in the records-v1 format, so the importer stores the
SHA-256 of each record's canonical form in ``import_key``; re-importing a file then adds
nothing it already holds. Events written by the portal leave it NULL. The unique index must
include ``at`` (the partition key) and covers imported rows only.

Database only: the ORM never reads or writes this column (the loader uses COPY), so Django's
model state is left as it is.
"""

from django.db import migrations

ADD = """
ALTER TABLE audit_event ADD COLUMN import_key bytea NULL;
CREATE UNIQUE INDEX audit_event_import_key ON audit_event (import_key, at)
    WHERE import_key IS NOT NULL;
"""

DROP = """
DROP INDEX audit_event_import_key;
ALTER TABLE audit_event DROP COLUMN import_key;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunSQL(ADD, DROP)]
