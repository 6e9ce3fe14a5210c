"""Input and output serializers for the office network. Writes go through services."""

from rest_framework import serializers

from offices.choices import OfficeTimezone, OfficeType, Role
from offices.models import Assignment, Office, Region, StaffProfile
from offices.validators import nip_problem
from passport_portal.api import SlugRelatedField


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name"]


class OfficeOutputSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    region = RegionSerializer(read_only=True)
    zone_label = serializers.CharField(read_only=True)

    class Meta:
        model = Office
        fields = ["id", "code", "name", "type", "parent", "region", "city", "timezone",
                  "zone_label", "address", "opens_at", "closes_at", "daily_quota", "is_active",
                  "is_sample"]


class OfficeInputSerializer(serializers.Serializer):
    """What a client may send to create or change an office; services check the rest."""

    code = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=200)
    type = serializers.ChoiceField(choices=OfficeType.choices)
    parent = SlugRelatedField(slug_field="code", queryset=Office.objects.all(),
                                          required=False, allow_null=True)
    region = SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    timezone = serializers.ChoiceField(choices=OfficeTimezone.choices)
    address = serializers.CharField(required=False, allow_blank=True)
    opens_at = serializers.TimeField(required=False)
    closes_at = serializers.TimeField(required=False)
    daily_quota = serializers.IntegerField(min_value=0, max_value=100000, required=False)
    is_active = serializers.BooleanField(required=False)


class AssignmentOutputSerializer(serializers.ModelSerializer):
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    staff = serializers.SlugRelatedField(slug_field="nip", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "staff", "office", "role", "valid_from", "valid_until"]


class StaffOutputSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", default=None, read_only=True)
    assignments = AssignmentOutputSerializer(many=True, read_only=True)

    class Meta:
        model = StaffProfile
        fields = ["id", "nip", "name", "username", "assignments"]


class StaffInputSerializer(serializers.Serializer):
    nip = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=200)
    username = serializers.CharField(max_length=150, required=False)
    password = serializers.CharField(write_only=True, required=False, min_length=10)
    email = serializers.EmailField(required=False, allow_blank=True)

    def validate_nip(self, value):
        problem = nip_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value


class AssignmentInputSerializer(serializers.Serializer):
    staff = SlugRelatedField(slug_field="nip", queryset=StaffProfile.objects.all())
    office = SlugRelatedField(slug_field="code", queryset=Office.objects.all())
    role = serializers.ChoiceField(choices=Role.choices)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True)


class AssignmentEndSerializer(serializers.Serializer):
    valid_until = serializers.DateField()


class MeSerializer(serializers.Serializer):
    """Who the caller is and what they may do: used by clients to build navigation."""

    username = serializers.CharField()
    is_superuser = serializers.BooleanField()
    nip = serializers.CharField(allow_null=True)
    name = serializers.CharField(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())
    capabilities = serializers.DictField(child=serializers.JSONField())
