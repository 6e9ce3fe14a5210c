"""API views for the office network: scoped reads, writes through services."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from offices import access
from offices.access import Capability
from offices.filters import AssignmentFilter, OfficeFilter, StaffFilter
from offices.models import Assignment
from offices.selectors import assignments_in_force, office_list, staff_list
from offices.services import assignment_create, assignment_end, office_create, office_update, staff_create
from passport_portal.request_meta import request_meta

from .serializers import (
    AssignmentEndSerializer,
    AssignmentInputSerializer,
    AssignmentOutputSerializer,
    MeSerializer,
    OfficeInputSerializer,
    OfficeOutputSerializer,
    StaffInputSerializer,
    StaffOutputSerializer,
)


class OfficeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Offices and units the caller may see; created and changed through services."""

    serializer_class = OfficeOutputSerializer
    filterset_class = OfficeFilter
    ordering_fields = ["code", "name", "type", "daily_quota", "city"]
    ordering = ["code"]
    lookup_field = "code"

    def get_queryset(self):
        return access.restrict(office_list(), self.request.user, Capability.VIEW)

    @extend_schema(request=OfficeInputSerializer, responses={201: OfficeOutputSerializer})
    def create(self, request):
        data = OfficeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        office = office_create(actor=request.user, meta=request_meta(request), **data.validated_data)
        return Response(OfficeOutputSerializer(office).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OfficeInputSerializer, responses={200: OfficeOutputSerializer})
    def partial_update(self, request, code=None):
        office = self.get_object()
        data = OfficeInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        office = office_update(actor=request.user, office=office, meta=request_meta(request),
                               **data.validated_data)
        return Response(OfficeOutputSerializer(office).data)


class StaffViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Staff who ever worked at an office the caller may see, with their postings."""

    serializer_class = StaffOutputSerializer
    filterset_class = StaffFilter
    ordering_fields = ["name", "nip"]
    ordering = ["name"]
    lookup_field = "nip"

    def get_queryset(self):
        return access.restrict(staff_list(), self.request.user, Capability.VIEW)

    @extend_schema(request=StaffInputSerializer, responses={201: StaffOutputSerializer})
    def create(self, request):
        data = StaffInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = staff_create(actor=request.user, meta=request_meta(request), **data.validated_data)
        return Response(StaffOutputSerializer(staff_list().get(pk=profile.pk)).data,
                        status=status.HTTP_201_CREATED)


class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Postings at offices the caller may see; made and ended through services."""

    serializer_class = AssignmentOutputSerializer
    filterset_class = AssignmentFilter
    ordering_fields = ["valid_from", "valid_until", "role"]
    ordering = ["-valid_from"]

    def get_queryset(self):
        queryset = Assignment.objects.select_related("staff", "office")
        return access.restrict(queryset, self.request.user, Capability.VIEW)

    @extend_schema(request=AssignmentInputSerializer, responses={201: AssignmentOutputSerializer})
    def create(self, request):
        data = AssignmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        # The office must be one the caller can see; otherwise answer as if it did not exist.
        office = get_object_or_404(access.restrict(office_list(), request.user), pk=values["office"].pk)
        assignment = assignment_create(
            actor=request.user, staff=values["staff"], office=office, role=values["role"],
            valid_from=values["valid_from"], valid_until=values.get("valid_until"),
            meta=request_meta(request),
        )
        return Response(AssignmentOutputSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssignmentEndSerializer, responses={200: AssignmentOutputSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        assignment = self.get_object()
        data = AssignmentEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = assignment_end(actor=request.user, assignment=assignment,
                                    meta=request_meta(request), **data.validated_data)
        return Response(AssignmentOutputSerializer(assignment).data)


class MeView(APIView):
    """The caller's identity, roles today and where each capability holds."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        staff = getattr(user, "staff", None)
        capabilities = {}
        for capability in Capability:
            scope = access.scope_for(user, capability)
            capabilities[capability.value] = ("everywhere" if scope.everywhere
                                              else sorted(scope.office_ids))
        roles = sorted({a.role for a in assignments_in_force(staff)}) if staff else []
        return Response(MeSerializer({
            "username": user.get_username(), "is_superuser": user.is_superuser,
            "nip": staff.nip if staff else None, "name": staff.name if staff else None,
            "roles": roles, "capabilities": capabilities,
        }).data)
