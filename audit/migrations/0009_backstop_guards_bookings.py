"""The backstop guards bookings and capacity: raw SQL changes to them are recorded at commit.

See audit/backstop.py. Bookings (``ref`` names them, as the trail's booking events do) and
slots (capacity, places taken, day closures) join offices and postings. The applicant's
personal columns are withheld from the row images: the event says only whether each changed.
A slot UPDATE that changes nothing but ``updated_at`` is not a change.

The function now asks whether the transaction recorded an application event before it builds
any row image (the common case on the booking path), so it is installed again.
"""

from django.db import migrations

from audit.backstop import FUNCTION_SQL, guard_sql, unguard_sql

BOOKING_PERSONAL = ("nik", "name", "birth_date", "phone", "email", "collected_by")


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0008_backstop_withholds_personal_columns"),
        ("bookings", "0005_schedule"),
    ]

    operations = [
        migrations.RunSQL(FUNCTION_SQL, migrations.RunSQL.noop),
        migrations.RunSQL(guard_sql("bookings_booking", key_column="ref", personal=BOOKING_PERSONAL),
                          unguard_sql("bookings_booking")),
        migrations.RunSQL(guard_sql("bookings_slot", bookkeeping=("updated_at",)),
                          unguard_sql("bookings_slot")),
    ]
