"""Backlog API: every office's backlog and projection in one query, and clearance directives.

Scope comes from ``offices.access``: office heads see their office and its units, officers
their office, supervisors and auditors the network. Only supervisors (DIRECT) set and withdraw
directives.
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bookings.models import ClearanceDirective
from bookings.models.backlog import IN_FORCE
from bookings.selectors_backlog import backlog_offices, backlog_projection, directives_for
from bookings.services.backlog import REASON_LENGTH, directive_set, directive_withdraw
from offices import access
from offices.access import Capability
from offices.choices import OfficeTimezone, OfficeType
from offices.models import Office
from offices.selectors import office_list
from passport_portal.planner import planned_without_jit
from passport_portal.request_meta import request_meta


class BacklogSerializer(serializers.ModelSerializer):
    """One office's backlog row with its projection (computed from the row, no query)."""

    parent = serializers.CharField(source="parent.code", default=None, allow_null=True)
    today = serializers.DateField(source="local_today")
    waiting = serializers.IntegerField()
    oldest_waiting = serializers.DateField(allow_null=True)
    oldest_waiting_days = serializers.SerializerMethodField()
    served_not_issued = serializers.IntegerField()
    decided_recent = serializers.IntegerField()
    next_free_slot = serializers.SerializerMethodField()
    deadline = serializers.DateField(allow_null=True)
    extra_service_allowed = serializers.BooleanField(allow_null=True)
    throughput = serializers.SerializerMethodField()
    clearance_date = serializers.SerializerMethodField()
    on_track = serializers.SerializerMethodField()

    class Meta:
        model = Office
        fields = ["code", "name", "type", "parent", "timezone", "today", "daily_quota", "waiting",
                  "oldest_waiting", "oldest_waiting_days", "served_not_issued", "decided_recent",
                  "throughput", "next_free_slot", "deadline", "extra_service_allowed", "clearance_date",
                  "on_track"]

    def _projection(self, office):
        if not hasattr(office, "_projection"):
            office._projection = backlog_projection(office)
        return office._projection

    def get_oldest_waiting_days(self, office) -> int | None:
        return (office.local_today - office.oldest_waiting).days if office.oldest_waiting else None

    def get_next_free_slot(self, office) -> str | None:
        if office.next_free_date is None:
            return None
        return f"{office.next_free_date.isoformat()}T{office.next_free_time:%H:%M}"

    def get_throughput(self, office) -> float:
        return self._projection(office).throughput

    def get_clearance_date(self, office) -> str | None:
        clearance = self._projection(office).clearance_date
        return clearance.isoformat() if clearance else None

    def get_on_track(self, office) -> bool | None:
        return self._projection(office).on_track


class BacklogFilter(django_filters.FilterSet):
    office = django_filters.CharFilter(field_name="code", label="Office code")
    kanim = django_filters.CharFilter(method="under_kanim", label="A Kanim's code: it and its units")
    type = django_filters.MultipleChoiceFilter(choices=OfficeType.choices)
    province = django_filters.CharFilter(field_name="region__code", label="Province code")
    timezone = django_filters.ChoiceFilter(choices=OfficeTimezone.choices)
    has_directive = django_filters.BooleanFilter(field_name="current__id", lookup_expr="isnull",
                                                 exclude=True, label="A directive is in force")
    min_waiting = django_filters.NumberFilter(field_name="waiting", lookup_expr="gte")

    class Meta:
        model = Office
        fields = ["office", "kanim", "type", "province", "timezone", "has_directive", "min_waiting"]

    def under_kanim(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(code=value) | Q(parent__code=value))


class BacklogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The backlog of every office in the caller's scope, with deadlines and projections."""

    serializer_class = BacklogSerializer
    filterset_class = BacklogFilter
    ordering_fields = ["code", "waiting", "oldest_waiting", "served_not_issued", "deadline"]
    ordering = ["code"]

    def get_queryset(self):
        return backlog_offices(self.request.user)

    def list(self, request, *args, **kwargs):
        # the same lateral figures as the supervision pages (passport_portal/planner.py)
        with planned_without_jit():
            return super().list(request, *args, **kwargs)


class DirectiveInputSerializer(serializers.Serializer):
    offices = serializers.ListField(child=serializers.CharField(max_length=32), allow_empty=False,
                                    max_length=1000, help_text="Office codes.")
    deadline = serializers.DateField(required=False, allow_null=True, default=None,
                                     help_text="The date to clear by (office time); or give within_days.")
    within_days = serializers.IntegerField(required=False, allow_null=True, default=None,
                                           help_text="Days from each office's today; or give deadline.")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    extra_service_allowed = serializers.BooleanField(required=False, default=False)


class DirectiveWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_LENGTH, help_text="Why the directive is withdrawn.")


class DirectiveSerializer(serializers.ModelSerializer):
    office = serializers.CharField(source="office.code")
    issued_by = serializers.CharField(source="issued_by.nip", default=None)
    withdrawn_by = serializers.CharField(source="withdrawn_by.nip", default=None)
    in_force = serializers.BooleanField(read_only=True)

    class Meta:
        model = ClearanceDirective
        fields = ["id", "office", "deadline", "note", "extra_service_allowed", "issued_by", "issued_at",
                  "superseded_at", "withdrawn_at", "withdrawn_by", "withdraw_reason", "in_force"]


class DirectiveFilter(django_filters.FilterSet):
    office = django_filters.CharFilter(field_name="office__code", label="Office code")
    in_force = django_filters.BooleanFilter(method="by_in_force", label="Neither superseded nor withdrawn")

    class Meta:
        model = ClearanceDirective
        fields = ["office", "in_force"]

    def by_in_force(self, queryset, name, value):
        return queryset.filter(IN_FORCE) if value else queryset.exclude(IN_FORCE)


class DirectiveViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Clearance directives at the offices the caller may see; supervisors issue and withdraw them
    (DIRECT)."""

    serializer_class = DirectiveSerializer
    filterset_class = DirectiveFilter
    ordering_fields = ["issued_at", "deadline"]
    ordering = ["-issued_at"]

    def get_queryset(self):
        return directives_for(self.request.user)

    @extend_schema(request=DirectiveInputSerializer, responses={
        201: DirectiveSerializer(many=True),
        400: OpenApiResponse(description="Messages per field."),
        403: OpenApiResponse(description="Only supervisors set directives."),
        404: OpenApiResponse(description="An office named does not exist or is out of reach.")})
    def create(self, request):
        data = DirectiveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        codes = set(values["offices"])
        offices = list(access.restrict(office_list(), request.user, Capability.VIEW).filter(code__in=codes))
        if len(offices) != len(codes):
            from django.http import Http404

            raise Http404
        directives = directive_set(actor=request.user, offices=offices, deadline=values["deadline"],
                                   within_days=values["within_days"], note=values["note"],
                                   extra_service_allowed=values["extra_service_allowed"],
                                   meta=request_meta(request))
        return Response(DirectiveSerializer(directives, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DirectiveWithdrawSerializer, responses={
        200: DirectiveSerializer,
        400: OpenApiResponse(description="No reason given."),
        403: OpenApiResponse(description="Only supervisors withdraw directives."),
        404: OpenApiResponse(description="The directive does not exist or is out of reach."),
        409: OpenApiResponse(description="directive_not_in_force: already replaced or withdrawn.")})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw the directive in force, with a reason; its office is then under none."""
        directive = self.get_object()
        data = DirectiveWithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        directive = directive_withdraw(actor=request.user, directive=directive,
                                       reason=data.validated_data["reason"], meta=request_meta(request))
        return Response(DirectiveSerializer(directive).data)
