"""API of detection: runs, findings (with the events behind them), subjects by risk, cases, allowlist.

Reads start from the selectors (AUDIT capability, never about the viewer); writes go through
the services. Everything answers 404 to people without the AUDIT capability.
"""

from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from audit.models import Event
from offices import access
from offices.access import Capability
from passport_portal.request_meta import request_meta

from ..filters import CaseFilter, FindingFilter, RunFilter, SubjectFilter
from ..models import AllowlistEntry
from ..selectors import case_list, finding_list, run_list, subject_list
from ..services import (
    allowlist_add,
    allowlist_remove,
    case_add_note,
    case_assign,
    case_move,
    case_open,
    detection_run_start,
)
from .serializers import (
    AllowlistInputSerializer,
    AllowlistSerializer,
    CaseAssignSerializer,
    CaseMoveSerializer,
    CaseNoteInputSerializer,
    CaseNoteSerializer,
    CaseOpenSerializer,
    CaseSerializer,
    FindingDetailSerializer,
    FindingEventSerializer,
    FindingSerializer,
    RunSerializer,
    RunStartSerializer,
    SubjectSerializer,
)

#: The fields of an event behind a finding, as the finding's events list shows them.
EVENT_FIELDS = ("id", "at", "actor_type", "actor_id", "actor_role", "office_id", "action", "target_type",
                "target_id", "details")


class RunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Detection runs with status, progress, counts and duration; POST starts one on the workers."""

    serializer_class = RunSerializer
    filterset_class = RunFilter
    ordering_fields = ["started_at", "findings_total"]
    ordering = ["-started_at"]

    def get_queryset(self):
        return run_list(user=self.request.user)

    @extend_schema(request=RunStartSerializer, responses={202: RunSerializer, 409: None, 503: None})
    def create(self, request):
        if access.scope_for(request.user, Capability.AUDIT).is_empty:
            raise Http404
        data = RunStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = detection_run_start(actor=request.user, meta=request_meta(request), **data.validated_data)
        if run is None:
            return Response({"code": "not_started",
                             "detail": "Another run is in progress, or nothing is new."},
                            status=status.HTTP_409_CONFLICT)
        from ..tasks import dispatch

        dispatched: list[bool] = []
        transaction.on_commit(lambda: dispatched.append(dispatch(run)))
        if dispatched == [False]:  # the broker is down: the run was marked failed, nothing waits on it
            return Response({"code": "broker_unavailable",
                             "detail": "The task queue is unavailable; the run was not started. "
                                       "The next scheduled run will cover these events."},
                            status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response(RunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class FindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Findings, riskiest first, filterable; a finding's detail names its evidence."""

    filterset_class = FindingFilter
    ordering_fields = ["score", "updated_at", "detector", "category"]
    ordering = ["-score", "id"]

    def get_queryset(self):
        return finding_list(user=self.request.user)

    def get_serializer_class(self):
        by_action = {"list": FindingSerializer, "events": FindingEventSerializer}
        return by_action.get(self.action, FindingDetailSerializer)

    @extend_schema(responses=FindingEventSerializer(many=True))
    @action(detail=True, methods=["get"], serializer_class=FindingEventSerializer)
    def events(self, request, pk=None):
        """The audit events the finding rests on, personal numbers masked."""
        finding = self.get_object()
        events = (access.restrict(Event.objects.all(), request.user, Capability.AUDIT)
                  .filter(id__in=finding.event_ids).order_by("at", "id")
                  .values(*EVENT_FIELDS))
        page = self.paginate_queryset(events)
        return self.get_paginated_response(FindingEventSerializer(page, many=True).data)


class SubjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Officers, clusters and accounts with their overall risk, riskiest first."""

    serializer_class = SubjectSerializer
    filterset_class = SubjectFilter
    ordering_fields = ["risk", "finding_count"]
    ordering = ["-risk"]

    def get_queryset(self):
        return subject_list(user=self.request.user)


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases: open from findings, assign, move along their path, add notes."""

    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    ordering_fields = ["opened_at", "updated_at", "status"]
    ordering = ["-opened_at"]

    def get_queryset(self):
        return case_list(user=self.request.user)

    @extend_schema(request=CaseOpenSerializer, responses={201: CaseSerializer})
    def create(self, request):
        data = CaseOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        findings = list(finding_list(user=request.user).filter(pk__in=data.validated_data["findings"]))
        if len(findings) != len(set(data.validated_data["findings"])):
            raise Http404
        case = case_open(actor=request.user, title=data.validated_data["title"], findings=findings,
                         meta=request_meta(request))
        return Response(CaseSerializer(self.get_queryset().get(pk=case.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseAssignSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        case = self.get_object()
        data = CaseAssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case_assign(actor=request.user, case=case, assignee=data.validated_data["assignee"],
                    meta=request_meta(request))
        return Response(CaseSerializer(self.get_queryset().get(pk=case.pk)).data)

    @extend_schema(request=CaseMoveSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        case = self.get_object()
        data = CaseMoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case_move(actor=request.user, case=case, to=data.validated_data["status"],
                  note=data.validated_data["note"], meta=request_meta(request))
        return Response(CaseSerializer(self.get_queryset().get(pk=case.pk)).data)

    @extend_schema(request=CaseNoteInputSerializer, responses={201: CaseNoteSerializer})
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        case = self.get_object()
        data = CaseNoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = case_add_note(actor=request.user, case=case, text=data.validated_data["text"],
                             meta=request_meta(request))
        return Response(CaseNoteSerializer(note).data, status=status.HTTP_201_CREATED)


class AllowlistViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The allowlist in force; adding and removing are audited."""

    serializer_class = AllowlistSerializer
    ordering = ["kind", "value"]

    def get_queryset(self):
        if access.scope_for(self.request.user, Capability.AUDIT).is_empty:
            return AllowlistEntry.objects.none()
        return AllowlistEntry.objects.filter(removed_at__isnull=True)

    @extend_schema(request=AllowlistInputSerializer, responses={201: AllowlistSerializer})
    def create(self, request):
        if access.scope_for(request.user, Capability.AUDIT).is_empty:
            raise Http404
        data = AllowlistInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = allowlist_add(actor=request.user, meta=request_meta(request), **data.validated_data)
        return Response(AllowlistSerializer(entry).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        entry = self.get_object()
        allowlist_remove(actor=request.user, entry=entry, meta=request_meta(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
