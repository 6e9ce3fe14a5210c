"""Retention: anonymised bookings and ballot entries are marked, and belong to no account.

A booking or entry past its retention period keeps its row for the figures; its applicant
data are blanked and its account link removed (bookings/retention.py). The partial index
holds only the rows retention has still to look at.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('bookings', '0007_directive_withdrawal'),
        ('offices', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='ballotentry',
            name='ballot_entry_one_per_nik',
        ),
        migrations.RemoveConstraint(
            model_name='booking',
            name='booking_online_has_account',
        ),
        migrations.AddField(
            model_name='ballotentry',
            name='anonymised_at',
            field=models.DateTimeField(blank=True, help_text="When the retention period removed the entrant's data (bookings.retention).", null=True),
        ),
        migrations.AddField(
            model_name='booking',
            name='anonymised_at',
            field=models.DateTimeField(blank=True, help_text="When the retention period removed the applicant's data (bookings.retention).", null=True),
        ),
        migrations.AlterField(
            model_name='ballotentry',
            name='account',
            field=models.ForeignKey(blank=True, help_text='Empty once the entry is anonymised.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='ballot_entries', to='bookings.account'),
        ),
        migrations.AddIndex(
            model_name='booking',
            index=models.Index(condition=models.Q(('anonymised_at__isnull', True)), fields=['service_date'], name='booking_not_anonymised_date'),
        ),
        migrations.AddConstraint(
            model_name='ballotentry',
            constraint=models.UniqueConstraint(condition=models.Q(('anonymised_at__isnull', True)), fields=('ballot', 'nik'), name='ballot_entry_one_per_nik', violation_error_message='This NIK has already entered this ballot.'),
        ),
        migrations.AddConstraint(
            model_name='booking',
            constraint=models.CheckConstraint(condition=models.Q(('imported', True), models.Q(('channel', 'ONLINE'), _negated=True), ('account__isnull', False), ('anonymised_at__isnull', False), _connector='OR'), name='booking_online_has_account', violation_error_message='An online booking belongs to an account.'),
        ),
    ]
