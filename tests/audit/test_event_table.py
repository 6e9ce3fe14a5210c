import pytest
from django.db import DatabaseError, connection, transaction

from audit.actions import Action
from audit.models import Event
from audit.trail import Actor, TrailError, event_record
from tests import builders


@pytest.fixture
def event(db):
    builders.office("KANIM-X")
    return Event.objects.get(target_id="KANIM-X")


@pytest.mark.parametrize("statement", [
    "UPDATE audit_event SET action = 'BOOK' WHERE id = %s",
    "DELETE FROM audit_event WHERE id = %s",
])
def test_database_refuses_update_and_delete(event, statement):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert Event.objects.get(pk=event.pk).action == "OFFICE_CREATE"


@pytest.mark.parametrize("table", ["audit_event", "audit_event_default"])
def test_database_refuses_truncate(event, table):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table}")
    assert Event.objects.filter(pk=event.pk).exists()


def test_database_refuses_truncate_of_a_monthly_partition(event):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM audit_event WHERE id = %s", [event.pk])
        partition = cursor.fetchone()[0]
    assert partition.startswith("audit_event_y")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {partition}")


@pytest.mark.django_db(transaction=True)
def test_writer_refuses_to_run_outside_a_transaction():
    with pytest.raises(TrailError, match="inside the transaction"):
        event_record(actor=Actor.system("t"), action=Action.STAFF_LOGIN)
    assert not Event.objects.exists()


def test_booking_actions_must_name_their_booking(db):
    with pytest.raises(TrailError, match="booking"), transaction.atomic():
        event_record(actor=Actor.system("t"), action=Action.CHECK_IN)


def test_unknown_action_is_refused(db):
    with pytest.raises(ValueError), transaction.atomic():
        event_record(actor=Actor.system("t"), action="DANCE")


def test_change_and_event_roll_back_together(db):
    from offices.services import office_update

    office = builders.office("KANIM-X")
    with pytest.raises(RuntimeError), transaction.atomic():
        office_update(actor=builders.SYSTEM, office=office, daily_quota=7)
        raise RuntimeError("the request failed after the service ran")
    office.refresh_from_db()
    assert office.daily_quota == 100
    assert not Event.objects.filter(action="OFFICE_UPDATE").exists()


def test_the_writers_insert_names_every_column_but_those_the_database_or_imports_fill(db):
    import re

    from audit.trail import INSERT

    named = re.search(r"INSERT INTO audit_event \(([^)]*)\)", INSERT)[1]
    named = {column.strip() for column in named.split(",")}
    filled_by_the_database = {"id", "recorded_at", "txid", "content_hash"}
    imports_only = {"import_key"}
    assert named == ({field.column for field in Event._meta.concrete_fields}
                     - filled_by_the_database - imports_only)


def test_a_lone_event_commits_by_itself_outside_a_transaction(transactional_db):
    # A refused attempt or a reading of personal data: the event is the whole of what happened.
    event = event_record(actor=Actor.system("test"), action=Action.STAFF_LOGIN, alone=True)
    assert Event.objects.filter(pk=event.pk, action=Action.STAFF_LOGIN).exists()
    with pytest.raises(TrailError):
        event_record(actor=Actor.system("test"), action=Action.STAFF_LOGIN)
