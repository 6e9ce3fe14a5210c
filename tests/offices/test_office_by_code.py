"""An office read by its code through SQL written once gives what the ORM gives."""

from __future__ import annotations

from bookings.api.serializers import BookingInputSerializer
from offices.models import Office
from offices.selectors import office_by_code


def test_office_by_code_is_the_orm_row_with_its_conversions(network, django_assert_num_queries):
    expected = Office.objects.get(code="ULP-A1")
    with django_assert_num_queries(1):
        office = office_by_code("ULP-A1")
    assert office.pk == expected.pk and not office._state.adding
    assert [getattr(office, f.attname) for f in Office._meta.concrete_fields] == \
        [getattr(expected, f.attname) for f in Office._meta.concrete_fields]
    assert office.parent == network.kanim_a


def test_an_unknown_code_is_none(network):
    assert office_by_code("KANIM-NONE") is None


def test_a_booking_naming_an_unknown_or_malformed_office_is_a_field_error(network):
    for value, code in (("KANIM-NONE", "does_not_exist"), ("K\x00", "invalid"), (["KANIM-A"], "invalid")):
        data = BookingInputSerializer(data={"office": value})
        assert not data.is_valid()
        assert data.errors["office"][0].code == code
