"""Ballot API: staff open and read ballots and verify draws; applicants find open ballots and enter.

Thin adapters: inputs are parsed here, judged by the services (so every refusal is recorded),
and scope comes from ``offices.access`` (a ballot of an office out of reach is a 404).
"""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from bookings.models import Ballot, BallotEntry
from bookings.models.ballot import BallotStatus
from bookings.services import Applicant
from bookings.services.ballot import ballot_create, ballot_enter
from bookings.services.ballot_draw import ballot_verify
from offices import access
from offices.access import Capability
from offices.selectors import office_list
from passport_portal.request_meta import request_meta

from .authentication import ApplicantTokenAuthentication
from .serializers import ApplicantSerializer

DEVICE_HEADER = "HTTP_X_DEVICE_ID"
ERRORS = {
    400: OpenApiResponse(description="Invalid field (messages per field), or a NIK rule broken."),
    404: OpenApiResponse(description="No such ballot or office, or not yours."),
    409: OpenApiResponse(description="ballot_closed, ballot_not_open, ballot_nik_entered, "
                                     "nik_has_active_booking, account_cap_reached, ballot_not_drawn."),
    429: OpenApiResponse(description="rate_limited, with Retry-After."),
}


class OfficeLocalDateTimeField(serializers.DateTimeField):
    """A date-time as given: without an offset it stays naive, for the service to read on the
    office's clock (the office is only known once the whole body is parsed)."""

    def enforce_timezone(self, value):
        return value


class BallotInputSerializer(serializers.Serializer):
    office = serializers.CharField(max_length=32, help_text="Office code.")
    date = serializers.DateField(help_text="The service day released by ballot.")
    opens_at = OfficeLocalDateTimeField(help_text="Entries from; office time unless an offset is given.")
    closes_at = OfficeLocalDateTimeField(help_text="Entries until; office time unless an offset is given.")
    places = serializers.IntegerField(required=False, allow_null=True, default=None,
                                      help_text="Places drawn; empty for every free place of the day.")


class BallotSerializer(serializers.ModelSerializer):
    office = serializers.CharField(source="office.code")
    date = serializers.DateField(source="service_date")

    class Meta:
        model = Ballot
        fields = ["ref", "office", "date", "opens_at", "closes_at", "places", "status", "seed",
                  "drawn_at", "finished_at", "entries_count", "booked_count"]


class OpenBallotSerializer(serializers.ModelSerializer):
    office = serializers.CharField(source="office.code")
    office_name = serializers.CharField(source="office.name")
    date = serializers.DateField(source="service_date")

    class Meta:
        model = Ballot
        fields = ["ref", "office", "office_name", "date", "opens_at", "closes_at", "places"]


class VerificationSerializer(serializers.Serializer):
    ballot = serializers.CharField()
    seed = serializers.CharField()
    entries = serializers.IntegerField()
    ok = serializers.BooleanField()
    order_matches = serializers.BooleanField()
    digest_matches = serializers.BooleanField()
    outcomes_consistent = serializers.BooleanField()
    mismatched_entries = serializers.ListField(child=serializers.IntegerField())


class EntryInputSerializer(ApplicantSerializer):
    ballot = serializers.CharField(max_length=64, help_text="The ballot's ref.")
    service = serializers.CharField(max_length=16, help_text="NEW, RENEWAL, REPLACE_LOST or REPLACE_DAMAGED")


class EntrySerializer(serializers.ModelSerializer):
    ballot = serializers.CharField(source="ballot.ref")
    office = serializers.CharField(source="ballot.office.code")
    date = serializers.DateField(source="ballot.service_date")
    nik = serializers.CharField(source="nik_masked")
    booking_code = serializers.CharField(source="booking.code", default=None)
    notice = serializers.SerializerMethodField()

    class Meta:
        model = BallotEntry
        fields = ["id", "ballot", "office", "date", "service", "nik", "name", "created_at", "rank",
                  "outcome", "refusal", "booking_code", "notice"]

    def get_notice(self, entry) -> str | None:
        notice = getattr(entry, "notice", None)
        return notice.message if notice else None


class BallotFilter(django_filters.FilterSet):
    office = django_filters.CharFilter(field_name="office__code", label="Office code")
    date_from = django_filters.DateFilter(field_name="service_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="service_date", lookup_expr="lte")
    status = django_filters.MultipleChoiceFilter(choices=BallotStatus.choices)

    class Meta:
        model = Ballot
        fields = ["office", "date_from", "date_to", "status"]


class BallotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Ballots at the offices the caller may see; an office head opens one (MANAGE)."""

    serializer_class = BallotSerializer
    filterset_class = BallotFilter
    lookup_field = "ref"
    ordering_fields = ["service_date", "closes_at", "status"]
    ordering = ["service_date", "office__code"]

    def get_queryset(self):
        return access.restrict(Ballot.objects.select_related("office"), self.request.user, Capability.VIEW)

    @extend_schema(request=BallotInputSerializer, responses={201: BallotSerializer, **ERRORS})
    def create(self, request):
        data = BallotInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        office = access.get_scoped_or_404(office_list(), request.user, Capability.VIEW, code=values["office"])
        ballot = ballot_create(actor=request.user, office=office, service_date=values["date"],
                               opens_at=values["opens_at"], closes_at=values["closes_at"],
                               places=values["places"], meta=request_meta(request))
        return Response(BallotSerializer(ballot).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: VerificationSerializer, 404: ERRORS[404], 409: ERRORS[409]},
                   description="Re-run the draw from its seed and compare with the stored ranks "
                               "and outcomes.")
    @action(detail=True, methods=["get"])
    def verify(self, request, ref=None):
        return Response(ballot_verify(ballot=self.get_object()).as_dict())


class OpenBallotsView(ListAPIView):
    """Ballots taking entries now, for applicants choosing where to enter."""

    serializer_class = OpenBallotSerializer
    filterset_class = BallotFilter

    def get_queryset(self):
        now = timezone.now()
        return (Ballot.objects.select_related("office")
                .filter(status=BallotStatus.OPEN, opens_at__lte=now, closes_at__gt=now,
                        office__is_active=True)
                .order_by("service_date", "office__code"))


class MyBallotEntryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The signed-in applicant's ballot entries and what came of them; entering one."""

    serializer_class = EntrySerializer
    authentication_classes = [SessionAuthentication, ApplicantTokenAuthentication]
    filterset_class = None
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]

    def get_queryset(self):
        entries = BallotEntry.objects.select_related("ballot__office", "booking", "notice")
        return access.restrict_to_account(entries, self.request.user)

    @extend_schema(request=EntryInputSerializer, responses={201: EntrySerializer, **ERRORS})
    def create(self, request):
        data = EntryInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        ballot = _ballot_or_404(values["ballot"])
        entry = ballot_enter(
            actor=request.user, ballot=ballot, service=values["service"],
            applicant=Applicant(nik=values["nik"], name=values["name"], birth_date=values["birth_date"],
                                phone=values["phone"], email=values.get("email", "")),
            device=request.META.get(DEVICE_HEADER, "")[:128], meta=request_meta(request))
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)


def _ballot_or_404(ref: str) -> Ballot:
    return get_object_or_404(Ballot.objects.select_related("office"), ref=ref, office__is_active=True)
