"""The audit event: one row per action, append-only, partitioned by month."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from offices.models import Office


class Event(models.Model):
    """One entry of the audit trail: who did what, in which role and office, when, to what.

    The table is partitioned by month on ``at`` (see the migration) and append-only: the
    database refuses UPDATE, DELETE and TRUNCATE, whoever asks. Rows have no foreign keys,
    so the trail outlives anything it mentions and bulk loads stay fast; ``office`` is a
    reference without a database constraint. ``txid`` is the writing transaction's id,
    which sealing uses to know when a range of events can no longer grow; ``content_hash``
    is set by the database on insert (``audit_event_content_hash``, docs/audit-trail.md).
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(db_index=False)
    recorded_at = models.DateTimeField(db_default=models.Func(function="clock_timestamp"))
    # ActorType and Action codes: no choices, so the vocabularies grow without migrations.
    actor_type = models.CharField(max_length=16)
    actor_id = models.CharField(max_length=64, blank=True)
    actor_role = models.CharField(max_length=16, blank=True)
    actor_user_id = models.BigIntegerField(null=True, blank=True)
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+",
    )
    action = models.CharField(max_length=40)
    target_type = models.CharField(max_length=32, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    source = models.CharField(max_length=16, default="app")
    txid = models.BigIntegerField(
        db_default=models.Func(function="txid_current"), editable=False,
    )
    content_hash = models.BinaryField(null=True, editable=False)

    office_path = "office"

    class Meta:
        managed = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} by {self.actor_type}:{self.actor_id}"


class SealBlock(models.Model):
    """One sealed block of the trail: a Merkle root over a fixed set of events, chained.

    A block covers the events after the previous block's last ``(txid, id)`` up to its own,
    all written by transactions below ``horizon`` (the oldest transaction still running when
    it was sealed), so the set it covers can no longer grow. Leaves are ordered by
    ``(txid, id)``; ``leaf_ids`` and ``leaf_hashes`` keep them so verification can name the
    exact event that changed, disappeared or appeared. ``block_hash`` covers every other
    field and ``prev_hash`` is the previous block's ``block_hash`` (zeros for the first):
    changing any sealed event or block breaks every hash from there on. The table is
    append-only, like the trail.
    """

    number = models.PositiveBigIntegerField(primary_key=True)
    sealed_at = models.DateTimeField()
    horizon = models.BigIntegerField()
    first_txid = models.BigIntegerField()
    first_event_id = models.BigIntegerField()
    last_txid = models.BigIntegerField()
    last_event_id = models.BigIntegerField()
    event_count = models.PositiveIntegerField()
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    leaf_ids = ArrayField(models.BigIntegerField())
    leaf_hashes = ArrayField(models.BinaryField())
    merkle_root = models.BinaryField()
    prev_hash = models.BinaryField()
    block_hash = models.BinaryField()

    class Meta:
        ordering = ["number"]
        constraints = [
            # One successor per block: two sealers can never fork the chain.
            models.UniqueConstraint(fields=["prev_hash"], name="audit_sealblock_one_successor"),
            models.UniqueConstraint(fields=["block_hash"], name="audit_sealblock_hash_unique"),
            models.CheckConstraint(condition=models.Q(event_count__gt=0),
                                   name="audit_sealblock_not_empty"),
        ]

    def __str__(self) -> str:
        return f"block {self.number} ({self.event_count} events)"


class PartitionArchive(models.Model):
    """A monthly partition taken out of the live trail after it was sealed and verified.

    The partition is detached and moved, untouched, to the ``audit_archive`` schema, where it
    stays append-only; verification still reads it, so archived events keep their seals.
    """

    name = models.CharField(max_length=63, unique=True)
    month = models.DateField(unique=True)
    event_count = models.PositiveBigIntegerField()
    sealed_through_block = models.PositiveBigIntegerField()
    archived_at = models.DateTimeField()

    class Meta:
        ordering = ["month"]

    def __str__(self) -> str:
        return f"{self.name} ({self.event_count} events)"
