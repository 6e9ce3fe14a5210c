"""The backstop ignores UPDATEs that change only bookkeeping columns (``updated_at``).

A service that saves an office without changing it records no event (nothing changed), but
Django still bumps ``updated_at``; that is not a change made outside the application.
"""

from django.db import migrations

from audit.backstop import FUNCTION_SQL, guard_sql, unguard_sql


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0006_schedule"),
    ]

    operations = [
        migrations.RunSQL(FUNCTION_SQL, migrations.RunSQL.noop),
        migrations.RunSQL(
            unguard_sql("offices_office") + guard_sql(
                "offices_office", office_column="id", key_column="code", bookkeeping=("updated_at",)),
            unguard_sql("offices_office") + guard_sql(
                "offices_office", office_column="id", key_column="code"),
        ),
    ]
