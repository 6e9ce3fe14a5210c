"""API views for bookings: thin adapters that parse, call one service or selector, and render."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings import selectors
from bookings.calendar import released_at
from bookings.filters import BookingFilter
from bookings.services import (
    Applicant,
    account_register,
    applicant_view_record,
    booking_cancel,
    booking_cancel_by_staff,
    booking_create,
    booking_override,
    booking_reschedule,
    booking_reschedule_by_staff,
    booking_step,
    capacity_change,
    day_close,
    day_reopen,
    slots_materialise,
    walk_in_insert,
)
from offices import access
from offices.access import Capability
from offices.models import Office
from offices.selectors import office_list
from passport_portal.request_meta import request_meta

from . import serializers as s
from .authentication import ApplicantTokenAuthentication

DEVICE_HEADER = "HTTP_X_DEVICE_ID"
ERRORS = {
    400: OpenApiResponse(description="Invalid field (messages per field) or a NIK rule broken "
                                     "(code nik_invalid with extra.rule, nik_birth_date_mismatch, "
                                     "slot_in_past, slot_unknown)."),
    404: OpenApiResponse(description="No such booking or office, or not yours."),
    409: OpenApiResponse(description="slot_full, slot_closed, slot_not_released, "
                                     "nik_has_active_booking (with booking_code), account_cap_reached, "
                                     "change_cutoff_passed, not_changeable."),
    429: OpenApiResponse(description="rate_limited, with Retry-After."),
}


def _device(request) -> str:
    """The client's opaque device fingerprint, sent in ``X-Device-Id``."""
    return request.META.get(DEVICE_HEADER, "")[:128]


def _applicant(data: dict) -> Applicant:
    return Applicant(nik=data["nik"], name=data["name"], birth_date=data["birth_date"],
                     phone=data["phone"], email=data.get("email", ""))


def _office(user, code: str, capability: Capability = Capability.VIEW) -> Office:
    return access.get_scoped_or_404(office_list(), user, capability, code=code)


class AccountRegisterView(APIView):
    """Open an applicant account; answers the account and an API token."""

    permission_classes = [AllowAny]
    serializer_class = s.AccountRegisterSerializer

    @extend_schema(request=s.AccountRegisterSerializer,
                   responses={201: s.AccountOutputSerializer, 400: ERRORS[400]})
    def post(self, request):
        data = s.AccountRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        account = account_register(device=_device(request), meta=request_meta(request), **data.validated_data)
        account.token = Token.objects.create(user=account.user).key
        return Response(s.AccountOutputSerializer(account).data, status=status.HTTP_201_CREATED)


class AvailabilityView(APIView):
    """Free places per slot of an office-day, for applicants choosing a time."""

    serializer_class = s.AvailabilitySerializer

    @extend_schema(parameters=[OpenApiParameter("office", str, required=True),
                               OpenApiParameter("date", str, required=True, description="YYYY-MM-DD")],
                   responses={200: s.AvailabilitySerializer(many=True)})
    def get(self, request):
        query = s.DayQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        office = get_object_or_404(Office, code=query.validated_data["office"], is_active=True)
        day = query.validated_data["date"]
        if day < office.local_date() or released_at(office, day) > timezone.now():
            # Nothing on sale: answer without making rows, so no client can fill the table
            # with slots for dates years ahead.
            return Response([])
        slots_materialise(office=office, service_date=day)
        slots = selectors.slots_of_day(office, day).filter(closed=False)
        return Response(s.AvailabilitySerializer(slots, many=True).data)


class MyBookingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signed-in applicant's bookings: book, list, read, cancel, move. Others' are 404."""

    serializer_class = s.BookingOutputSerializer
    authentication_classes = [SessionAuthentication, ApplicantTokenAuthentication]
    lookup_field = "code"
    filterset_class = None
    ordering_fields = ["service_date", "created_at"]

    def get_queryset(self):
        return selectors.bookings_of_applicant(self.request.user)

    @extend_schema(request=s.BookingInputSerializer, responses={201: s.BookingOutputSerializer, **ERRORS},
                   parameters=[OpenApiParameter("X-Device-Id", str, OpenApiParameter.HEADER)])
    def create(self, request):
        data = s.BookingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        booking = booking_create(actor=request.user, office=values["office"], service_date=values["date"],
                                 slot_time=values["slot"], service=values["service"],
                                 applicant=_applicant(values), device=_device(request),
                                 meta=request_meta(request))
        return Response(s.BookingOutputSerializer(booking).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.BookingOutputSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def cancel(self, request, code=None):
        booking = booking_cancel(actor=request.user, booking=self.get_object(), meta=request_meta(request))
        return Response(s.BookingOutputSerializer(booking).data)

    @extend_schema(request=s.RescheduleInputSerializer, responses={200: s.BookingOutputSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reschedule(self, request, code=None):
        booking = self.get_object()
        data = s.RescheduleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = booking_reschedule(actor=request.user, booking=booking, to_date=data.validated_data["date"],
                                     to_time=data.validated_data["slot"], meta=request_meta(request))
        return Response(s.BookingOutputSerializer(booking).data)


class StaffBookingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Bookings at the offices the caller may see, filtered by office, dates, status, channel, service.

    Opening one booking shows the applicant's personal data and records VIEW_APPLICANT.
    """

    serializer_class = s.StaffBookingSerializer
    filterset_class = BookingFilter
    lookup_field = "code"
    ordering_fields = ["service_date", "slot_time", "created_at", "checked_in_at", "status"]
    ordering = ["service_date", "slot_time", "created_at"]

    def get_queryset(self):
        return selectors.bookings_for_staff(self.request.user)

    @extend_schema(responses={200: s.StaffBookingDetailSerializer})
    def retrieve(self, request, code=None):
        booking = self.get_object()
        applicant_view_record(actor=request.user, booking=booking, meta=request_meta(request))
        return Response(s.StaffBookingDetailSerializer(booking).data)

    @extend_schema(request=s.ReasonSerializer, responses={200: s.StaffBookingSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def cancel(self, request, code=None):
        booking = self.get_object()
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = booking_cancel_by_staff(actor=request.user, booking=booking,
                                          reason=data.validated_data["reason"], meta=request_meta(request))
        return Response(s.StaffBookingSerializer(booking).data)

    @extend_schema(request=s.RescheduleInputSerializer, responses={200: s.StaffBookingSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reschedule(self, request, code=None):
        booking = self.get_object()
        data = s.RescheduleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        booking = booking_reschedule_by_staff(actor=request.user, booking=booking, to_date=values["date"],
                                              to_time=values["slot"], reason=values["reason"],
                                              meta=request_meta(request))
        return Response(s.StaffBookingSerializer(booking).data)


    @extend_schema(request=s.StepSerializer, responses={200: s.StaffBookingSerializer, **ERRORS},
                   description="Take the next step of the counter path (409 transition_not_allowed, "
                               "out_of_order, four_eyes, not_today).")
    @action(detail=True, methods=["post"])
    def steps(self, request, code=None):
        booking = self.get_object()
        data = s.StepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        booking = booking_step(actor=request.user, booking=booking, step=values["step"],
                               reason=values["reason"], collected_by=values["collected_by"],
                               qr_payload=values["qr"], meta=request_meta(request))
        return Response(s.StaffBookingSerializer(booking).data)

    @extend_schema(request=s.StepSerializer, responses={200: s.StaffBookingSerializer, **ERRORS},
                   description="An office head takes a step out of order or despite four eyes, "
                               "with a reason.")
    @action(detail=True, methods=["post"])
    def override(self, request, code=None):
        booking = self.get_object()
        data = s.StepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        booking = booking_override(actor=request.user, booking=booking, step=values["step"],
                                   reason=values["reason"], collected_by=values["collected_by"],
                                   meta=request_meta(request))
        return Response(s.StaffBookingSerializer(booking).data)


class QueueView(APIView):
    """Who is waiting at an office today (or on ``date``): PRIORITY first, then by check-in."""

    serializer_class = s.StaffBookingSerializer

    @extend_schema(parameters=[OpenApiParameter("office", str, required=True),
                               OpenApiParameter("date", str,
                                                description="YYYY-MM-DD; the office's today by default")],
                   responses={200: s.StaffBookingSerializer(many=True)})
    def get(self, request):
        office = _office(request.user, request.query_params.get("office", ""))
        query = s.DayQuerySerializer(data={"office": office.code,
                                           "date": request.query_params.get("date") or office.local_date()})
        query.is_valid(raise_exception=True)
        queue = selectors.office_queue(office, query.validated_data["date"])
        return Response(s.StaffBookingSerializer(queue, many=True).data)


class WalkInView(APIView):
    """An officer inserts a walk-in at their office, into today's current slot by default."""

    serializer_class = s.WalkInInputSerializer

    @extend_schema(request=s.WalkInInputSerializer, responses={201: s.StaffBookingSerializer, **ERRORS})
    def post(self, request):
        data = s.WalkInInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        office = _office(request.user, values["office"].code)
        booking = walk_in_insert(actor=request.user, office=office, applicant=_applicant(values),
                                 service=values["service"], channel=values["channel"],
                                 slot_time=values.get("slot"), meta=request_meta(request))
        return Response(s.StaffBookingSerializer(booking).data, status=status.HTTP_201_CREATED)


class CapacityView(APIView):
    """An office-day's slots with capacity and bookings (GET); a head changes them (POST)."""

    serializer_class = s.SlotSerializer

    @extend_schema(parameters=[OpenApiParameter("office", str, required=True),
                               OpenApiParameter("date", str, required=True)],
                   responses={200: s.SlotSerializer(many=True)})
    def get(self, request):
        query = s.DayQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        office = _office(request.user, query.validated_data["office"])
        day = query.validated_data["date"]
        slots_materialise(office=office, service_date=day)
        return Response(s.SlotSerializer(selectors.slots_of_day(office, day).select_related("office"),
                                         many=True).data)

    @extend_schema(request=s.CapacityChangeSerializer, responses={200: s.SlotSerializer(many=True)})
    def post(self, request):
        data = s.CapacityChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        office = _office(request.user, values["office"])
        slots = capacity_change(actor=request.user, office=office, service_date=values["date"],
                                slot_time=values.get("slot"), capacity=values["capacity"],
                                reason=values["reason"], meta=request_meta(request))
        return Response(s.SlotSerializer(slots, many=True).data)


def _day_slots(office: Office, day) -> list:
    return s.SlotSerializer(selectors.slots_of_day(office, day).select_related("office"), many=True).data


class DayCloseView(APIView):
    """Close an office-day (POST), or reopen it (DELETE)."""

    serializer_class = s.DayCloseSerializer

    def _day(self, request):
        data = s.DayCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _office(request.user, data.validated_data["office"]), data.validated_data

    @extend_schema(request=s.DayCloseSerializer, responses={200: s.SlotSerializer(many=True)})
    def post(self, request):
        office, values = self._day(request)
        day_close(actor=request.user, office=office, service_date=values["date"], reason=values["reason"],
                  meta=request_meta(request))
        return Response(_day_slots(office, values["date"]))

    @extend_schema(request=s.DayCloseSerializer, responses={200: s.SlotSerializer(many=True)})
    def delete(self, request):
        office, values = self._day(request)
        day_reopen(actor=request.user, office=office, service_date=values["date"], reason=values["reason"],
                   meta=request_meta(request))
        return Response(_day_slots(office, values["date"]))
