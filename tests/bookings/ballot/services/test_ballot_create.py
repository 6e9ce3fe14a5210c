import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.utils import timezone

from audit.models import Event
from bookings.models import Ballot
from bookings.services.ballot import ballot_create
from offices.errors import NotAllowed
from tests.bookings.ballot import builders


def test_head_opens_a_ballot_and_it_is_recorded(network, ballot_day):
    ballot = builders.ballot(network.head_a, network.kanim_a, ballot_day, places=40)
    event = Event.objects.get(action="BALLOT_CREATE", target_id=ballot.ref)
    assert ballot.status == "OPEN" and ballot.places == 40 and ballot.seed == ""
    assert event.details["places"] == 40 and event.actor_id == network.head_a.staff.nip


def test_a_naive_window_is_read_on_the_office_clock(network, ballot_day):
    kanim_b = network.kanim_b  # WITA, UTC+8
    opens = dt.datetime.combine(ballot_day - dt.timedelta(days=3), dt.time(9, 0))
    ballot = ballot_create(actor=network.head_b, office=kanim_b, service_date=ballot_day,
                           opens_at=opens, closes_at=opens + dt.timedelta(hours=6))
    assert ballot.opens_at == dt.datetime.combine(opens.date(), dt.time(1, 0), tzinfo=dt.UTC)


def test_an_officer_may_not_open_a_ballot(network, ballot_day):
    with pytest.raises(NotAllowed):
        builders.ballot(network.officer_a, network.kanim_a, ballot_day)


def test_the_window_must_close_before_the_service_day(network):
    today = network.kanim_a.local_date()
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        ballot_create(actor=network.head_a, office=network.kanim_a, service_date=today,
                      opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=2))
    assert "closes_at" in exc.value.message_dict


def test_the_window_must_close_in_the_future(network, ballot_day):
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        ballot_create(actor=network.head_a, office=network.kanim_a, service_date=ballot_day,
                      opens_at=now - dt.timedelta(hours=2), closes_at=now - dt.timedelta(hours=1))
    assert "closes_at" in exc.value.message_dict


def test_one_ballot_per_office_day(network, ballot):
    with pytest.raises(ValidationError) as exc:
        builders.ballot(network.head_a, network.kanim_a, ballot.service_date)
    assert "service_date" in exc.value.message_dict


def test_database_refuses_a_second_ballot_for_the_office_day(network, ballot):
    with pytest.raises(IntegrityError, match="ballot_one_per_office_day"), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bookings_ballot (ref, office_id, service_date, opens_at, closes_at, status, seed,"
            " created_at, entries_count, booked_count) SELECT 'bal_x', office_id, service_date, opens_at,"
            " closes_at, 'OPEN', '', now(), 0, 0 FROM bookings_ballot WHERE id = %s", [ballot.pk])


def test_database_refuses_a_drawn_ballot_without_its_seed(network, ballot):
    with pytest.raises(IntegrityError, match="ballot_drawn_has_seed"), connection.cursor() as cursor:
        cursor.execute("UPDATE bookings_ballot SET status = 'DRAWN', drawn_at = now() WHERE id = %s",
                       [ballot.pk])


def test_database_refuses_a_window_that_closes_before_it_opens(network, ballot):
    with pytest.raises(IntegrityError, match="ballot_window_ordered"), connection.cursor() as cursor:
        cursor.execute("UPDATE bookings_ballot SET closes_at = opens_at WHERE id = %s", [ballot.pk])


def test_nothing_is_written_when_refused(network, ballot_day):
    with pytest.raises(NotAllowed):
        builders.ballot(network.officer_a, network.kanim_a, ballot_day)
    assert not Ballot.objects.exists() and not Event.objects.filter(action="BALLOT_CREATE").exists()
