"""A model serializer whose fields are built once answers exactly as DRF's own does."""

import copy
import datetime as dt

import pytest
from rest_framework import serializers

from bookings.api.serializers import BookingOutputSerializer
from tests import builders
from tests.bookings import builders as booking_builders

pytestmark = pytest.mark.django_db


# The same declaration without the mixin: DRF rebuilds its fields for every instance.
Rebuilt = type("Rebuilt", (serializers.ModelSerializer,), {
    **copy.deepcopy(BookingOutputSerializer._declared_fields), "Meta": BookingOutputSerializer.Meta,
    "get_records_status": BookingOutputSerializer.get_records_status})


def test_answers_match_drfs_own_and_fields_are_not_shared(settings):
    settings.BOOKING_WORKING_DAYS = [1, 2, 3, 4, 5, 6, 7]
    settings.BOOKING_RELEASE_TIME = "00:00"
    office = builders.office("KANIM-S")
    user = booking_builders.account_user()
    day = office.local_date() + dt.timedelta(days=2)
    first = booking_builders.booking(user, office, day, nik=booking_builders.nik_for(5))
    second = booking_builders.booking(user, office, day, nik=booking_builders.nik_for(6))
    for booking in (first, second, first):
        assert BookingOutputSerializer(booking).data == Rebuilt(booking).data
    one, two = BookingOutputSerializer(first), BookingOutputSerializer(second)
    assert one.fields["code"] is not two.fields["code"]
    assert one.fields["code"].parent is one and two.fields["code"].parent is two
    assert set(BookingOutputSerializer._fields_built) == set(BookingOutputSerializer.Meta.fields)
