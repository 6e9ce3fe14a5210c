"""Output of the audit API: events as auditors read them, NIKs masked."""

from __future__ import annotations

from rest_framework import serializers

from audit.actions import ActorType
from audit.masking import masked
from audit.models import Event


class EventSerializer(serializers.ModelSerializer):
    """One event; the acting officer is named, personal numbers in details are masked."""

    office = serializers.CharField(source="office.code", default=None, read_only=True, allow_null=True)
    actor_name = serializers.CharField(read_only=True)
    target_id = serializers.SerializerMethodField()
    details = serializers.SerializerMethodField()
    content_hash = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = ["id", "at", "recorded_at", "actor_type", "actor_id", "actor_name", "actor_role",
                  "office", "action", "target_type", "target_id", "ip", "user_agent", "request_id",
                  "details", "source", "content_hash"]
        read_only_fields = fields

    def get_target_id(self, event: Event) -> str:
        return masked(event.target_id)

    def get_details(self, event: Event) -> dict:
        return masked(event.details)

    def get_content_hash(self, event: Event) -> str | None:
        return bytes(event.content_hash).hex() if event.content_hash is not None else None


class StatementSerializer(serializers.Serializer):
    """A signed daily statement of sealed roots, with its printable text."""

    date = serializers.DateField()
    first_block = serializers.IntegerField(allow_null=True)
    last_block = serializers.IntegerField(allow_null=True)
    block_count = serializers.IntegerField()
    events = serializers.IntegerField()
    head_block = serializers.IntegerField()
    head_hash = serializers.CharField()
    signature = serializers.CharField()
    text = serializers.CharField()


class ApplicantEventSerializer(serializers.ModelSerializer):
    """One event as the applicant sees it: when, what, where, and in which role; staff
    identities (NIP, name), addresses and details are withheld."""

    booking = serializers.CharField(source="booking_code", read_only=True)
    office = serializers.CharField(source="office.code", default=None, read_only=True, allow_null=True)
    office_name = serializers.CharField(source="office.name", default=None, read_only=True, allow_null=True)
    by = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = ["at", "action", "booking", "office", "office_name", "by"]
        read_only_fields = fields

    def get_by(self, event: Event) -> str:
        """``you`` for the applicant's own account, the role for staff, else the kind of actor."""
        account = getattr(self.context["request"].user, "applicant_account", None)
        if event.actor_type == ActorType.ACCOUNT:
            return "you" if account is not None and event.actor_id == account.ref else "account"
        if event.actor_type == ActorType.STAFF:
            return event.actor_role or "staff"
        return event.actor_type
