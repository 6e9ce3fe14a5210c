import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from audit.models import Event
from offices.choices import Role
from offices.errors import NotAllowed
from offices.services import assignment_create, assignment_end
from tests import builders


def test_overlapping_assignment_is_refused(network):
    staff = network.officer_a.staff
    with pytest.raises(ValidationError) as exc:
        assignment_create(actor=builders.SYSTEM, staff=staff, office=network.kanim_b,
                          role=Role.OFFICER, valid_from=dt.date(2021, 1, 1))
    assert "already has an assignment" in str(exc.value)


def test_database_refuses_overlap_in_raw_sql(network):
    staff = network.officer_a.staff
    with pytest.raises(IntegrityError, match="assignment_no_overlap"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO offices_assignment (staff_id, office_id, role, valid_from, created_at)"
                " VALUES (%s, %s, 'OFFICER', '2022-01-01', now())", [staff.pk, network.kanim_b.pk])


def test_history_is_kept_when_a_posting_ends(network):
    staff = network.officer_a.staff
    first = staff.assignments.get()
    assignment_end(actor=builders.SYSTEM, assignment=first, valid_until=dt.date(2023, 6, 30))
    assignment_create(actor=builders.SYSTEM, staff=staff, office=network.kanim_b,
                      role=Role.OFFICER, valid_from=dt.date(2023, 7, 1))
    offices = list(staff.assignments.order_by("valid_from").values_list("office__code", flat=True))
    assert offices == ["KANIM-A", "KANIM-B"]
    assert Event.objects.filter(action="ASSIGNMENT_END", target_id=staff.nip).count() == 1


def test_office_head_cannot_post_an_office_head(network):
    staff = builders.staff_profile(builders.nip_for(900))
    with pytest.raises(NotAllowed):
        assignment_create(actor=network.head_a, staff=staff, office=network.kanim_a,
                          role=Role.OFFICE_HEAD, valid_from=dt.date(2024, 1, 1))


def test_office_head_posts_an_officer_at_a_unit(network):
    staff = builders.staff_profile(builders.nip_for(901))
    assignment = assignment_create(actor=network.head_a, staff=staff, office=network.unit_a,
                                   role=Role.OFFICER, valid_from=dt.date(2024, 1, 1))
    event = Event.objects.get(action="ASSIGNMENT_CREATE", target_id=staff.nip)
    assert assignment.office == network.unit_a
    assert event.actor_id == network.head_a.staff.nip and event.actor_role == Role.OFFICE_HEAD


def test_office_head_cannot_post_at_another_office(network):
    staff = builders.staff_profile(builders.nip_for(902))
    with pytest.raises(NotAllowed):
        assignment_create(actor=network.head_a, staff=staff, office=network.kanim_b,
                          role=Role.OFFICER, valid_from=dt.date(2024, 1, 1))
