"""Seal blocks (the chained Merkle roots over the trail) and the record of archived partitions.

Blocks are append-only like the events, and each block's leaf lists match its count; the
``audit_archive`` schema receives partitions detached by retention.
"""

import django.contrib.postgres.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_event_content_hash'),
    ]

    operations = [
        migrations.CreateModel(
            name='PartitionArchive',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=63, unique=True)),
                ('month', models.DateField(unique=True)),
                ('event_count', models.PositiveBigIntegerField()),
                ('sealed_through_block', models.PositiveBigIntegerField()),
                ('archived_at', models.DateTimeField()),
            ],
            options={
                'ordering': ['month'],
            },
        ),
        migrations.CreateModel(
            name='SealBlock',
            fields=[
                ('number', models.PositiveBigIntegerField(primary_key=True, serialize=False)),
                ('sealed_at', models.DateTimeField()),
                ('horizon', models.BigIntegerField()),
                ('first_txid', models.BigIntegerField()),
                ('first_event_id', models.BigIntegerField()),
                ('last_txid', models.BigIntegerField()),
                ('last_event_id', models.BigIntegerField()),
                ('event_count', models.PositiveIntegerField()),
                ('first_at', models.DateTimeField()),
                ('last_at', models.DateTimeField()),
                ('leaf_ids', django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), size=None)),
                ('leaf_hashes', django.contrib.postgres.fields.ArrayField(base_field=models.BinaryField(), size=None)),
                ('merkle_root', models.BinaryField()),
                ('prev_hash', models.BinaryField()),
                ('block_hash', models.BinaryField()),
            ],
            options={
                'ordering': ['number'],
                'constraints': [models.UniqueConstraint(fields=('prev_hash',), name='audit_sealblock_one_successor'), models.UniqueConstraint(fields=('block_hash',), name='audit_sealblock_hash_unique'), models.CheckConstraint(condition=models.Q(('event_count__gt', 0)), name='audit_sealblock_not_empty')],
            },
        ),
        migrations.RunSQL(
            """
            ALTER TABLE audit_sealblock ADD CONSTRAINT audit_sealblock_leaves_match_count CHECK (
                cardinality(leaf_ids) = event_count AND cardinality(leaf_hashes) = event_count);
            ALTER TABLE audit_sealblock ADD CONSTRAINT audit_sealblock_hash_sizes CHECK (
                length(merkle_root) = 32 AND length(prev_hash) = 32 AND length(block_hash) = 32);
            CREATE TRIGGER audit_sealblock_append_only BEFORE UPDATE OR DELETE ON audit_sealblock
                FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();
            CREATE TRIGGER audit_sealblock_no_truncate BEFORE TRUNCATE ON audit_sealblock
                FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();
            CREATE SCHEMA IF NOT EXISTS audit_archive;
            """,
            """
            DROP TRIGGER audit_sealblock_no_truncate ON audit_sealblock;
            DROP TRIGGER audit_sealblock_append_only ON audit_sealblock;
            ALTER TABLE audit_sealblock DROP CONSTRAINT audit_sealblock_hash_sizes;
            ALTER TABLE audit_sealblock DROP CONSTRAINT audit_sealblock_leaves_match_count;
            """,
        ),
    ]
