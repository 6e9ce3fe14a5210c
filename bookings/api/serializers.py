"""Input and output serializers for bookings. Inputs only parse; services judge the content,
so that every refusal of a parsed request is recorded in the trail."""

from rest_framework import serializers

from bookings.choices import RECORDS_STATUS
from bookings.models import Account, Booking, Slot
from offices.models import Office
from offices.selectors import office_by_code
from passport_portal.api import DeclaredFieldsCopiedShallow, FieldsBuiltOnce, SlugRelatedField


class HourMinuteField(serializers.TimeField):
    """A time of day as ``HH:MM``, office-local."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", input_formats=["%H:%M"], **kwargs)


class AccountRegisterSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    phone = serializers.CharField(max_length=32)
    password = serializers.CharField(write_only=True, max_length=128)
    agency_license = serializers.CharField(max_length=64, required=False, allow_blank=True)


class AccountOutputSerializer(serializers.ModelSerializer):
    token = serializers.CharField(read_only=True)

    class Meta:
        model = Account
        fields = ["ref", "email", "phone", "verified", "agency_license", "booking_cap",
                  "active_bookings", "created_at", "token"]


class OfficeCodeField(SlugRelatedField):
    """An office named by its code, read without the ORM's query building: every attempt names one."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Office.objects.all(), lookup=office_by_code, **kwargs)


class ApplicantSerializer(serializers.Serializer):
    nik = serializers.CharField(max_length=32, help_text="The applicant's NIK (16 digits).")
    name = serializers.CharField(max_length=200)
    birth_date = serializers.DateField()
    phone = serializers.CharField(max_length=32, help_text="08…, +628… or 628…")
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")


class BookingInputSerializer(DeclaredFieldsCopiedShallow, ApplicantSerializer):
    office = OfficeCodeField()
    date = serializers.DateField()
    slot = HourMinuteField()
    service = serializers.CharField(max_length=16, help_text="NEW, RENEWAL, REPLACE_LOST or REPLACE_DAMAGED")


class WalkInInputSerializer(DeclaredFieldsCopiedShallow, ApplicantSerializer):
    office = OfficeCodeField()
    service = serializers.CharField(max_length=16)
    channel = serializers.CharField(max_length=8, default="WALK_IN", help_text="WALK_IN or PRIORITY")
    slot = HourMinuteField(required=False, help_text="Today's slot; the current one by default.")


class RescheduleInputSerializer(DeclaredFieldsCopiedShallow, serializers.Serializer):
    date = serializers.DateField()
    slot = HourMinuteField()
    reason = serializers.CharField(max_length=500, required=False, default="",
                                   help_text="Required when staff move a booking.")


class StepSerializer(DeclaredFieldsCopiedShallow, serializers.Serializer):
    step = serializers.CharField(max_length=32, help_text="check_in, verify_documents, capture_biometrics, "
                                 "interview, approve, reject, print or hand_over")
    reason = serializers.CharField(max_length=500, required=False, default="",
                                   help_text="Required to reject, and for an override.")
    collected_by = serializers.CharField(max_length=32, required=False, default="",
                                         help_text="At hand-over: 'applicant' or the collector's NIK.")
    qr = serializers.CharField(max_length=2000, required=False, default="",
                               help_text="At check-in: the QR payload the applicant shows.")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class BookingOutputSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """What an applicant sees of their own booking: the NIK masked, the QR payload to show."""

    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    date = serializers.DateField(source="service_date")
    slot = HourMinuteField(source="slot_time")
    nik = serializers.CharField(source="nik_masked")
    records_status = serializers.SerializerMethodField()
    qr_payload = serializers.CharField()

    class Meta:
        model = Booking
        fields = ["code", "ref", "office", "date", "slot", "service", "channel", "status",
                  "records_status", "nik", "name", "created_at", "qr_payload"]

    def get_records_status(self, booking) -> str:
        return RECORDS_STATUS[booking.status]


class StaffBookingSerializer(serializers.ModelSerializer):
    """A booking in staff lists: the NIK masked, the counter steps' times."""

    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    account = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    date = serializers.DateField(source="service_date")
    slot = HourMinuteField(source="slot_time")
    nik = serializers.CharField(source="nik_masked")

    class Meta:
        model = Booking
        fields = ["code", "ref", "office", "account", "date", "slot", "service", "channel", "status",
                  "nik", "name", "created_at", "checked_in_at", "verified_at", "biometrics_at",
                  "interviewed_at", "approved_at", "rejected_at", "printed_at", "handed_over_at",
                  "cancelled_at"]


class StaffBookingDetailSerializer(StaffBookingSerializer):
    """One booking with the applicant's personal data (its opening is recorded)."""

    nik = serializers.CharField()

    class Meta(StaffBookingSerializer.Meta):
        fields = [*StaffBookingSerializer.Meta.fields, "birth_date", "phone", "email", "ip", "device",
                  "collected_by"]


class SlotSerializer(serializers.ModelSerializer):
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    date = serializers.DateField(source="service_date")
    starts_at = HourMinuteField()
    ends_at = HourMinuteField()
    available = serializers.IntegerField()

    class Meta:
        model = Slot
        fields = ["office", "date", "starts_at", "ends_at", "capacity", "booked", "available",
                  "closed", "closed_reason"]


class AvailabilitySerializer(serializers.ModelSerializer):
    """A slot as applicants see it: free places, not the counts behind them."""

    starts_at = HourMinuteField()
    ends_at = HourMinuteField()
    available = serializers.IntegerField()

    class Meta:
        model = Slot
        fields = ["starts_at", "ends_at", "available"]


class DayQuerySerializer(serializers.Serializer):
    office = serializers.CharField(max_length=32)
    date = serializers.DateField()


class CapacityChangeSerializer(serializers.Serializer):
    office = serializers.CharField(max_length=32)
    date = serializers.DateField()
    slot = HourMinuteField(required=False, help_text="One slot; the whole day when omitted.")
    capacity = serializers.IntegerField(min_value=0, max_value=100000)
    reason = serializers.CharField(max_length=500)


class DayCloseSerializer(serializers.Serializer):
    office = serializers.CharField(max_length=32)
    date = serializers.DateField()
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
