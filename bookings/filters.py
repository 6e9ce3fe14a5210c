"""django-filter filtersets for bookings."""

import django_filters

from .choices import BookingStatus, Channel, Service
from .models import Booking


class BookingFilter(django_filters.FilterSet):
    """Staff lists: by office, date range, status, channel and service."""

    office = django_filters.CharFilter(field_name="office__code", label="Office code")
    date_from = django_filters.DateFilter(field_name="service_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="service_date", lookup_expr="lte")
    status = django_filters.MultipleChoiceFilter(choices=BookingStatus.choices)
    channel = django_filters.MultipleChoiceFilter(choices=Channel.choices)
    service = django_filters.MultipleChoiceFilter(choices=Service.choices)
    code = django_filters.CharFilter(field_name="code")

    class Meta:
        model = Booking
        fields = ["office", "date_from", "date_to", "status", "channel", "service", "code"]
