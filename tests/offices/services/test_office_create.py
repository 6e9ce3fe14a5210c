import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from audit.models import Event
from offices.choices import OfficeType
from offices.models import Office
from offices.services import office_create
from tests import builders


def test_office_create_records_event(db):
    office = builders.office("KANIM-X")
    event = Event.objects.get(action="OFFICE_CREATE", target_id="KANIM-X")
    assert event.office_id == office.pk
    assert event.details["after"]["type"] == "KANIM"
    assert event.actor_type == "system" and event.actor_id == "tests"


def test_unit_without_parent_is_refused_on_parent_field(db):
    with pytest.raises(ValidationError) as exc:
        builders.office("ULP-X", type=OfficeType.ULP)
    assert "parent" in exc.value.message_dict
    assert not Office.objects.filter(code="ULP-X").exists()
    assert not Event.objects.filter(target_id="ULP-X").exists()


def test_kanim_with_parent_is_refused(db):
    kanim = builders.office("KANIM-X")
    with pytest.raises(ValidationError) as exc:
        builders.office("KANIM-Y", parent=kanim)
    assert "parent" in exc.value.message_dict


def test_unit_under_unit_is_refused(db):
    kanim = builders.office("KANIM-X")
    unit = builders.office("ULP-X", type=OfficeType.ULP, parent=kanim)
    with pytest.raises(ValidationError) as exc:
        builders.office("ULP-Y", type=OfficeType.ULP, parent=unit)
    assert "must be a Kanim" in exc.value.message_dict["parent"][0]


@pytest.mark.parametrize(("field", "value"), [("type", "PALACE"), ("timezone", "Europe/Paris")])
def test_unknown_type_or_zone_is_refused_on_its_field(db, field, value):
    fields = {"type": "KANIM", "timezone": "Asia/Jakarta", field: value}
    with pytest.raises(ValidationError) as exc:
        office_create(actor=builders.SYSTEM, code="K-1", name="K", region=builders.region(), **fields)
    assert field in exc.value.message_dict


def test_database_refuses_unit_without_parent_in_raw_sql(db):
    region = builders.region()
    with pytest.raises(IntegrityError, match="office_parent_matches_type"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO offices_office (code, name, type, region_id, city, timezone, address,"
                " opens_at, closes_at, daily_quota, is_active, is_sample, details, created_at, updated_at)"
                " VALUES ('ULP-RAW', 'x', 'ULP', %s, '', 'Asia/Jakarta', '', '08:00', '16:00', 10,"
                " true, false, '{}', now(), now())", [region.pk])


def test_database_refuses_unit_under_unit_in_raw_sql(db):
    kanim = builders.office("KANIM-X")
    unit = builders.office("ULP-X", type=OfficeType.ULP, parent=kanim)
    other = builders.office("ULP-Y", type=OfficeType.ULP, parent=kanim)
    with pytest.raises(IntegrityError, match="must be a Kanim"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE offices_office SET parent_id = %s WHERE id = %s", [unit.pk, other.pk])


def test_kanim_with_units_cannot_become_a_unit_in_raw_sql(db):
    kanim = builders.office("KANIM-X")
    builders.office("ULP-X", type=OfficeType.ULP, parent=kanim)
    other = builders.office("KANIM-Y")
    with pytest.raises(IntegrityError, match="must stay a Kanim"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE offices_office SET type = 'ULP', parent_id = %s WHERE id = %s",
                           [other.pk, kanim.pk])
