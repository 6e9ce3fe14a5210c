"""The backstop: raw SQL changes to offices and postings are recorded; service writes add nothing."""

import datetime as dt

import pytest
from django.db import connection, transaction

from audit.actions import Action
from audit.backstop import guard_sql
from audit.models import Event
from offices.choices import Role
from offices.models import Assignment
from offices.services import assignment_end, office_update
from tests import builders

pytestmark = pytest.mark.django_db(transaction=True)


def outside_events():
    return Event.objects.filter(action=Action.DATA_CHANGED_OUTSIDE_APP)


def raw(sql: str, params=(), *, pointer: str | None = None) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if pointer is not None:
            cursor.execute("SELECT set_config('audit.app_event', %s, true)", [pointer])
        cursor.execute(sql, params)


def test_an_office_changed_with_raw_sql_is_recorded_with_before_and_after():
    office = builders.office("KANIM-R", daily_quota=100)
    raw("UPDATE offices_office SET daily_quota = 900 WHERE id = %s", [office.pk])
    event = outside_events().get()
    assert (event.target_type, event.target_id, event.office_id) == ("offices_office", "KANIM-R", office.pk)
    assert event.details["operation"] == "UPDATE"
    assert (event.details["before"]["daily_quota"], event.details["after"]["daily_quota"]) == (100, 900)
    assert event.source == "backstop"
    assert event.actor_id == f"db:{connection.settings_dict['USER']}"


def test_a_posting_inserted_with_raw_sql_is_recorded():
    office = builders.office("KANIM-R")
    staff = builders.staff_profile(builders.nip_for(901))
    raw("""INSERT INTO offices_assignment (staff_id, office_id, role, valid_from, created_at)
           VALUES (%s, %s, %s, '2026-01-01', now())""", [staff.pk, office.pk, Role.OFFICE_HEAD])
    event = outside_events().get()
    assert (event.target_type, event.office_id, event.details["operation"]) == (
        "offices_assignment", office.pk, "INSERT")
    assert event.details["after"]["role"] == Role.OFFICE_HEAD


def test_a_posting_deleted_with_raw_sql_is_recorded_once_per_row():
    office = builders.office("KANIM-R")
    builders.staff_user(Role.OFFICER, office)
    builders.staff_user(Role.OFFICER, office)
    raw("DELETE FROM offices_assignment WHERE office_id = %s", [office.pk])
    assert outside_events().count() == 2
    assert {e.details["operation"] for e in outside_events()} == {"DELETE"}


def test_service_writes_record_no_backstop_event():
    office = builders.office("KANIM-R")
    user = builders.staff_user(Role.OFFICER, office)
    office_update(actor=builders.SYSTEM, office=office, daily_quota=120)
    assignment_end(actor=builders.SYSTEM, assignment=Assignment.objects.get(staff__user=user),
                   valid_until=dt.date(2030, 1, 1))
    assert not outside_events().exists()


def test_a_rolled_back_raw_change_records_nothing():
    office = builders.office("KANIM-R")
    with pytest.raises(RuntimeError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE offices_office SET city = 'X' WHERE id = %s", [office.pk])
        raise RuntimeError("abandoned")
    assert not outside_events().exists()


def test_guard_sql_refuses_anything_but_a_plain_table_name():
    with pytest.raises(ValueError, match="identifier"):
        guard_sql("offices_office; DROP TABLE audit_event")


def test_a_service_save_that_changes_nothing_records_no_backstop_event():
    office = builders.office("KANIM-R", daily_quota=100)
    office_update(actor=builders.SYSTEM, office=office, daily_quota=100)
    assert not outside_events().exists()


def test_a_raw_update_that_changes_nothing_is_not_a_change():
    office = builders.office("KANIM-R")
    raw("UPDATE offices_office SET city = city WHERE id = %s", [office.pk])
    assert not outside_events().exists()


@pytest.fixture
def guarded_people_table():
    """A scratch table with personal data, guarded like bookings will be; dropped after."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE audit_probe_person (id serial PRIMARY KEY, office_id bigint, "
                       "nik text, city text)")
        cursor.execute(guard_sql("audit_probe_person", personal=("nik",)))
    yield "audit_probe_person"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE audit_probe_person")


def test_personal_columns_are_withheld_from_the_row_images(guarded_people_table):
    raw("INSERT INTO audit_probe_person (office_id, nik, city) VALUES (1, '3171011501900001', 'Bogor')")
    raw("UPDATE audit_probe_person SET city = 'Depok'")
    inserted, updated = outside_events().order_by("id")
    assert "nik" not in inserted.details["after"] and inserted.details["after"]["city"] == "Bogor"
    assert inserted.details["withheld"] == {"nik": {"changed": True}}
    assert updated.details["withheld"] == {"nik": {"changed": False}}
    assert "3171011501900001" not in str(inserted.details) + str(updated.details)


def app_event_pointer() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('audit.app_event', true)")
        return cursor.fetchone()[0]


def test_an_application_event_leaves_a_pointer_to_itself_for_the_backstop():
    office = builders.office("KANIM-R")
    with transaction.atomic():
        office_update(actor=builders.SYSTEM, office=office, daily_quota=130)
        pointer = app_event_pointer()
    event = Event.objects.filter(action=Action.OFFICE_UPDATE).latest("id")
    assert pointer == f"{event.at.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S.%f}|{event.pk}"
    assert app_event_pointer() in (None, "")  # the setting ends with its transaction


@pytest.mark.parametrize("forged", [
    "2026-01-01 00:00:00.000000|1",  # well formed, but no such event in this transaction
    "not a pointer",
    "",
])
def test_a_forged_pointer_hides_no_raw_change(forged):
    office = builders.office("KANIM-R", daily_quota=100)
    raw("UPDATE offices_office SET daily_quota = 901 WHERE id = %s", [office.pk], pointer=forged)
    assert outside_events().get().details["after"]["daily_quota"] == 901


def test_a_pointer_to_an_event_of_another_transaction_hides_no_raw_change():
    office = builders.office("KANIM-R", daily_quota=100)
    with transaction.atomic():
        office_update(actor=builders.SYSTEM, office=office, daily_quota=120)
        earlier = app_event_pointer()
    raw("UPDATE offices_office SET daily_quota = 902 WHERE id = %s", [office.pk], pointer=earlier)
    assert outside_events().get().details["after"]["daily_quota"] == 902


def test_an_application_event_rolled_back_to_a_savepoint_no_longer_covers_the_transaction():
    office = builders.office("KANIM-R", daily_quota=100)
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            office_update(actor=builders.SYSTEM, office=office, daily_quota=120)
            raise RuntimeError("abandoned")
        with connection.cursor() as cursor:
            cursor.execute("UPDATE offices_office SET daily_quota = 903 WHERE id = %s", [office.pk])
    assert outside_events().get().details["after"]["daily_quota"] == 903

