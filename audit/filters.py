"""The auditors' event search: by actor, office, action, booking, target, address and time."""

from __future__ import annotations

import django_filters
from django import forms

from .actions import Action, ActorType
from .models import Event


class IPAddressFilter(django_filters.Filter):
    """An exact IPv4 or IPv6 address; anything else is a 400 naming the parameter."""

    field_class = forms.GenericIPAddressField


class EventFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(method="filter_actor", max_length=64,
                                      label="Actor: NIP, account ref or system name")
    actor_type = django_filters.ChoiceFilter(choices=ActorType.choices)
    office = django_filters.CharFilter(field_name="office__code", max_length=32, label="Office code")
    # No DISTINCT (the default): nothing is joined, and DISTINCT sorts every match of the trail.
    action = django_filters.MultipleChoiceFilter(choices=Action.choices, distinct=False)
    booking = django_filters.CharFilter(method="filter_booking", max_length=64, label="Booking code or ref")
    target_type = django_filters.CharFilter(max_length=32)
    target_id = django_filters.CharFilter(max_length=64)
    ip = IPAddressFilter()
    at = django_filters.IsoDateTimeFromToRangeFilter(
        label="Time range: at_after, at_before (ISO 8601; without a zone, the portal's zone)")
    # The rare sources (the backstop's) have an index of their own (migration audit/0011); "app"
    # and "import" are most of the trail and page from the time index.
    source = django_filters.CharFilter(max_length=16)

    class Meta:
        model = Event
        fields = ["actor", "actor_type", "office", "action", "booking", "target_type",
                  "target_id", "ip", "at", "source"]

    def filter_actor(self, queryset, name, value):
        # Every writer records one of the ActorType codes; naming them all lets PostgreSQL use
        # the (actor_type, actor_id, at) index instead of reading the whole trail.
        return queryset.filter(actor_type__in=ActorType.values, actor_id=value)

    def filter_booking(self, queryset, name, value):
        from .selectors import BOOKING_TARGETS, booking_identifiers

        return queryset.filter(target_type__in=BOOKING_TARGETS, target_id__in=booking_identifiers(value))
