"""The backstop can leave personal columns (a NIK, a name) out of the row images it records.

Guarded tables name them in ``guard_sql(…, personal=(…))``; the event then says only whether
each changed. Offices and postings hold none, so their triggers stay as they are.
"""

from django.db import migrations

from audit.backstop import FUNCTION_SQL


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0007_backstop_ignores_unchanged_rows"),
    ]

    operations = [migrations.RunSQL(FUNCTION_SQL, migrations.RunSQL.noop)]
