"""The audit event: one row per action, append-only, partitioned by month."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from offices.models import Office


class Event(models.Model):
    """One entry of the audit trail: who did what, in which role and office, when, to what.

    The table is partitioned by month on ``at`` (see the migration) and append-only: the
    database refuses UPDATE, DELETE and TRUNCATE, whoever asks. Rows have no foreign keys,
    so the trail outlives anything it mentions and bulk loads stay fast; ``office`` is a
    reference without a database constraint. ``txid`` is the writing transaction's id,
    which sealing uses to know when a range of events can no longer grow.
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
