"""Input serializers whose declared fields are copied shallowly validate exactly as DRF's own."""

import copy
import datetime as dt

import pytest
from rest_framework import serializers

from bookings.api.serializers import BookingInputSerializer, StepSerializer, WalkInInputSerializer
from passport_portal.api import DeclaredFieldsCopiedShallow
from tests import builders

pytestmark = pytest.mark.django_db


def deep_copying(serializer_class):
    """The same declaration without the mixin: DRF deep-copies its fields for every instance."""
    return type(f"Deep{serializer_class.__name__}", (serializers.Serializer,),
                copy.deepcopy(serializer_class._declared_fields))


GOOD = {"office": "KANIM-S", "date": "2026-12-10", "slot": "08:00", "service": "NEW",
        "nik": "3174015003900001", "name": "Siti", "birth_date": "1990-03-10", "phone": "081234567890"}
INPUTS = [
    GOOD,
    {**GOOD, "email": "siti@example.invalid"},
    {**GOOD, "office": "NOWHERE", "date": "tomorrow", "slot": "8 o'clock"},
    {**GOOD, "name": "x" * 201, "nik": "\x00"},
    {key: value for key, value in GOOD.items() if key not in ("phone", "service")},
    {},
    {**GOOD, "birth_date": None, "office": ["KANIM-S"]},
]


@pytest.mark.parametrize("data", INPUTS)
def test_validation_matches_drfs_own(data):
    builders.office("KANIM-S")
    ours, theirs = BookingInputSerializer(data=data), deep_copying(BookingInputSerializer)(data=data)
    assert ours.is_valid() == theirs.is_valid() == (data in INPUTS[:2])
    assert ours.errors == theirs.errors
    if not ours.errors:
        assert ours.validated_data == theirs.validated_data


def test_each_instance_binds_its_own_fields():
    one, two = BookingInputSerializer(data=GOOD), BookingInputSerializer(data={})
    assert one.fields["nik"] is not two.fields["nik"]
    assert one.fields["nik"].parent is one and two.fields["nik"].parent is two
    assert BookingInputSerializer._declared_fields["nik"].parent is None  # the template stays unbound
    assert StepSerializer(data={}).fields["step"].field_name == "step"


def test_a_declared_field_that_holds_fields_is_refused():
    class Holder(DeclaredFieldsCopiedShallow, serializers.Serializer):
        names = serializers.ListField(child=serializers.CharField())

    with pytest.raises(TypeError, match="names hold other fields"):
        Holder(data={"names": ["a"]}).fields  # noqa: B018  (building the fields is the test)


def test_walk_ins_validate_as_before():
    builders.office("KANIM-S")
    data = {**GOOD, "channel": "PRIORITY"}
    data.pop("date")
    ours, theirs = WalkInInputSerializer(data=data), deep_copying(WalkInInputSerializer)(data=data)
    assert ours.is_valid() and theirs.is_valid()
    assert ours.validated_data == theirs.validated_data
    assert isinstance(ours.validated_data["birth_date"], dt.date)
