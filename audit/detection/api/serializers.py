"""Serializers of detection: outputs of runs, findings, subjects and cases; inputs of their writes."""

from rest_framework import serializers

from audit.masking import masked
from offices.models import StaffProfile
from passport_portal.api import SlugRelatedField

from ..choices import AllowlistKind, CaseStatus, RunKind
from ..models import AllowlistEntry, Case, CaseNote, DetectionRun, Finding, SubjectRisk


class RunSerializer(serializers.ModelSerializer):
    progress = serializers.FloatField(read_only=True)
    duration_seconds = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = DetectionRun
        fields = ["id", "kind", "status", "triggered_by", "window_from", "window_to", "parts", "parts_done",
                  "progress", "counts", "findings_total", "started_at", "finished_at", "duration_seconds",
                  "error"]


class RunStartSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RunKind.choices, default=RunKind.INCREMENTAL)
    since = serializers.DateTimeField(required=False)


class FindingSerializer(serializers.ModelSerializer):
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "fingerprint", "detector", "category", "score", "subject_type", "subject_id",
                  "subjects", "summary", "office", "window_from", "window_to", "updated_at"]


class FindingDetailSerializer(FindingSerializer):
    class Meta(FindingSerializer.Meta):
        fields = [*FindingSerializer.Meta.fields, "evidence", "staff_nips", "account_refs", "booking_refs",
                  "event_ids", "first_run", "last_run", "created_at"]


class FindingEventSerializer(serializers.Serializer):
    """An event behind a finding, read as values; personal numbers masked like every event read."""

    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    actor_type = serializers.CharField()
    actor_id = serializers.CharField()
    actor_role = serializers.CharField()
    office_id = serializers.IntegerField(allow_null=True)
    action = serializers.CharField()
    target_type = serializers.CharField()
    target_id = serializers.SerializerMethodField()
    details = serializers.SerializerMethodField()

    def get_target_id(self, event: dict) -> str:
        return masked(event["target_id"])

    def get_details(self, event: dict) -> dict:
        return masked(event["details"])


class SubjectSerializer(serializers.ModelSerializer):
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = SubjectRisk
        fields = ["id", "subject_type", "subject_id", "risk", "finding_count", "detectors", "categories",
                  "office", "updated_at"]


class CaseNoteSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CaseNote
        fields = ["id", "author", "text", "at"]


class CaseSerializer(serializers.ModelSerializer):
    assignee = serializers.SlugRelatedField(slug_field="nip", read_only=True, allow_null=True)
    findings = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    notes = CaseNoteSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = ["id", "title", "status", "outcome", "assignee", "findings", "notes", "opened_at",
                  "updated_at", "closed_at"]


class CaseOpenSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    findings = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1)


class CaseAssignSerializer(serializers.Serializer):
    assignee = SlugRelatedField(slug_field="nip", queryset=StaffProfile.objects.all())


class CaseMoveSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CaseNoteInputSerializer(serializers.Serializer):
    text = serializers.CharField()


class AllowlistSerializer(serializers.ModelSerializer):
    class Meta:
        model = AllowlistEntry
        fields = ["id", "kind", "value", "reason", "added_at", "removed_at"]


class AllowlistInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AllowlistKind.choices)
    value = serializers.CharField(max_length=128)
    reason = serializers.CharField()
