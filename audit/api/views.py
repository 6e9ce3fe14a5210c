"""The auditors' API: event search, its CSV export, timelines and signed statements. Read-only."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.csv_export import event_csv_lines
from audit.filters import EventFilter
from audit.selectors import applicant_trail, booking_timeline, event_list, staff_timeline
from audit.statements import statement_for
from offices import access
from offices.access import Capability
from offices.models import StaffProfile

from .permissions import CanAudit
from .serializers import ApplicantEventSerializer, EventSerializer, StatementSerializer

AUDIT_PERMISSIONS = [IsAuthenticated, CanAudit]


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """Search the trail by actor, office, action, booking, target, IP address and time."""

    serializer_class = EventSerializer
    permission_classes = AUDIT_PERMISSIONS
    filterset_class = EventFilter
    ordering_fields = ["at", "id", "action", "actor_id"]
    ordering = ["-at", "-id"]

    def get_queryset(self):
        return access.restrict(event_list(), self.request.user, Capability.AUDIT)

    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR)})
    @action(detail=False, methods=["get"], url_path="export")
    def export(self, request):
        """The same search as a CSV file, streamed (NIKs masked)."""
        events = self.filter_queryset(self.get_queryset())
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        response = StreamingHttpResponse(event_csv_lines(events), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-events-{stamp}.csv"'
        return response


class BookingTimelineView(generics.ListAPIView):
    """Everything recorded about one booking, oldest first."""

    serializer_class = EventSerializer
    permission_classes = AUDIT_PERMISSIONS
    filter_backends: list = []

    def get_queryset(self):
        return access.restrict(booking_timeline(self.kwargs["code"]), self.request.user,
                               Capability.AUDIT)


class StaffTimelineView(generics.ListAPIView):
    """Everything one officer did, oldest first; 404 for a NIP no one holds."""

    serializer_class = EventSerializer
    permission_classes = AUDIT_PERMISSIONS
    filter_backends: list = []

    def get_queryset(self):
        nip = self.kwargs["nip"]
        if not StaffProfile.objects.filter(nip=nip).exists():
            raise Http404
        return access.restrict(staff_timeline(nip), self.request.user, Capability.AUDIT)


class RootStatementView(APIView):
    """The signed statement of sealed roots for one day (UTC)."""

    permission_classes = AUDIT_PERMISSIONS

    @extend_schema(responses=StatementSerializer)
    def get(self, request, date: str):
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            raise Http404 from None
        statement = statement_for(day)
        return Response(StatementSerializer({
            **{name: getattr(statement, name) for name in (
                "date", "first_block", "last_block", "block_count", "events", "head_block",
                "head_hash")},
            "signature": statement.signature(), "text": statement.text(),
        }).data)


class ApplicantTrailView(generics.ListAPIView):
    """The signed-in applicant's own bookings' trail: every action on them, including each
    time an officer opened their personal data (``VIEW_APPLICANT``), without officers' names.
    ``?booking=<code>`` narrows it to one booking; staff have no bookings and see nothing."""

    serializer_class = ApplicantEventSerializer
    filter_backends: list = []

    def get_queryset(self):
        events = applicant_trail(self.request.user)
        booking = self.request.query_params.get("booking")
        return events.filter(booking_code=booking[:16]) if booking else events
