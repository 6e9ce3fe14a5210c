"""The backstop: offices and staff postings changed with raw SQL are recorded at commit.

See audit/backstop.py. The function is reusable; this migration guards the two tables that
decide who may do what where (offices and assignments).
"""

from django.db import migrations

from audit.backstop import DROP_FUNCTION_SQL, FUNCTION_SQL, guard_sql, unguard_sql


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0004_seal_blocks_and_archives"),
        ("offices", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(FUNCTION_SQL, DROP_FUNCTION_SQL),
        migrations.RunSQL(guard_sql("offices_office", office_column="id", key_column="code"),
                          unguard_sql("offices_office")),
        migrations.RunSQL(guard_sql("offices_assignment"), unguard_sql("offices_assignment")),
    ]
