"""The capacity page: a date's slots, changing one slot's capacity with a reason, closing and
reopening a day, and the history of those changes; every form leaves its audit event."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import Event
from bookings.forms_office import REASON_LENGTH
from bookings.models import Slot
from tests.bookings import builders
from tests.pages.office.html import field_errors, figures, rows

pytestmark = pytest.mark.usefixtures("network")


@pytest.fixture
def day(network) -> dt.date:
    return network.kanim_a.local_date() + dt.timedelta(days=3)


def _url(code: str = "KANIM-A", action: str = "") -> str:
    return f"/office/{code}/capacity/{action + '/' if action else ''}"


def _slot(network, day, time=dt.time(8, 0)) -> Slot:
    return Slot.objects.get(office=network.kanim_a, service_date=day, starts_at=time)


def test_capacity_page_lists_the_date_s_slots_with_booked_and_free(network, as_user, day, applicant_user):
    builders.booking(applicant_user, network.kanim_a, day, dt.time(8, 30))
    html = as_user(network.head_a).get(_url(), {"date": day.isoformat()}).content.decode()
    slots = {r[0]: r for r in rows(html, "slot-table")}
    assert len(slots) == 16 and slots["08:30–09:00"][1:4] == ["1", "7", "6"]
    assert figures(html) == {"capacity": "100", "booked": "1"}
    assert "Slots (WIB)" in html


def test_a_slot_s_capacity_changes_with_its_reason_and_the_history_shows_it(network, as_user, day):
    client = as_user(network.head_a)
    response = client.post(_url(action="change"), {"date": day.isoformat(), "slot": "08:00", "capacity": "12",
                                                   "reason": "Extra counter opened"},
                           REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="board-test")
    assert response.status_code == 302
    assert response["Location"] == f"{_url()}?date={day.isoformat()}#history"
    assert _slot(network, day).capacity == 12
    event = Event.objects.get(action="QUOTA_CHANGE")
    assert event.actor_id == network.head_a.staff.nip and event.office_id == network.kanim_a.pk
    assert event.details == {"date": day.isoformat(), "old": 7, "new": 12, "reason": "Extra counter opened",
                             "slot": "08:00"}
    assert (event.ip, event.user_agent) == ("10.1.2.3", "board-test")
    html = client.get(response["Location"]).content.decode()
    history = rows(html, "history-table")
    assert history[0][1:] == [network.head_a.staff.name, "Capacity", day.isoformat(), "08:00", "7", "12",
                              "Extra counter opened"]
    assert "Capacity of 08:00" in html


def test_the_whole_day_s_capacity_is_spread_over_its_slots(network, as_user, day):
    as_user(network.head_a).post(_url(action="change"), {"date": day.isoformat(), "slot": "", "capacity": "32",
                                                        "reason": "Half the counters"})
    assert sorted(Slot.objects.filter(office=network.kanim_a, service_date=day)
                  .values_list("capacity", flat=True)) == [2] * 16
    assert Event.objects.get(action="QUOTA_CHANGE").details["new"] == 32


def test_a_reason_is_required_and_nothing_changes_without_it(network, as_user, day):
    response = as_user(network.head_a).post(_url(action="change"), {"date": day.isoformat(), "slot": "08:00",
                                                                    "capacity": "12", "reason": "  "})
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "change-form") == {
        "id_reason": ["Say why the capacity changes."]}
    assert _slot(network, day).capacity == 7 and not Event.objects.filter(action="QUOTA_CHANGE").exists()


def test_capacity_below_the_places_booked_shows_the_service_s_refusal(network, as_user, day, applicant_user,
                                                                      other_applicant_user):
    builders.booking(applicant_user, network.kanim_a, day, dt.time(8, 0))
    builders.booking(other_applicant_user, network.kanim_a, day, dt.time(8, 0))
    response = as_user(network.head_a).post(_url(action="change"), {"date": day.isoformat(), "slot": "08:00",
                                                                    "capacity": "1", "reason": "Fewer staff"})
    assert response.status_code == 400
    errors = field_errors(response.content.decode(), "change-form")
    assert errors["id_capacity"][0].startswith("2 places are already booked; capacity cannot go below that.")
    assert _slot(network, day).capacity == 7 and not Event.objects.filter(action="QUOTA_CHANGE").exists()


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"capacity": "many"}, "id_capacity", "Capacity is a whole number."),
    ({"capacity": "-1"}, "id_capacity", "Ensure this value is greater than or equal to 0."),
    ({"capacity": ""}, "id_capacity", "Give the new capacity."),
    ({"date": "31/12/2030"}, "id_date", "Give a date as YYYY-MM-DD."),
    ({"slot": "08:10"}, "id_slot", "Select a valid choice. 08:10 is not one of the available choices."),
])
def test_malformed_input_is_refused_with_the_field_named(network, as_user, day, data, field, message):
    payload = {"date": day.isoformat(), "slot": "08:00", "capacity": "9", "reason": "Test"} | data
    response = as_user(network.head_a).post(_url(action="change"), payload)
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "change-form")[field] == [message]
    assert not Event.objects.filter(action="QUOTA_CHANGE").exists()


def test_a_day_closes_with_a_reason_and_reopens(network, as_user, day, applicant_user):
    builders.booking(applicant_user, network.kanim_a, day, dt.time(8, 0))
    client = as_user(network.head_a)
    refused = client.post(_url(action="close"), {"date": day.isoformat(), "reason": ""})
    assert refused.status_code == 400
    assert field_errors(refused.content.decode(), "close-form") == {
        "close-reason": ["Say why the office is closed that day."]}
    assert not Event.objects.filter(action="DAY_CLOSE").exists()

    assert client.post(_url(action="close"), {"date": day.isoformat(), "reason": "Hari raya"}).status_code == 302
    assert set(Slot.objects.filter(office=network.kanim_a, service_date=day).values_list("closed", flat=True)) \
        == {True}
    closed = Event.objects.get(action="DAY_CLOSE")
    assert closed.details == {"date": day.isoformat(), "reason": "Hari raya", "slots": 16, "booked": 1}
    html = client.get(_url(), {"date": day.isoformat()}).content.decode()
    assert "This day is closed: Hari raya" in html and 'id="reopen-form"' in html

    assert client.post(_url(action="reopen"), {"date": day.isoformat(), "reason": "Backlog"}).status_code == 302
    assert not Slot.objects.filter(office=network.kanim_a, service_date=day, closed=True).exists()
    reopened = Event.objects.get(action="DAY_REOPEN")
    assert reopened.actor_id == network.head_a.staff.nip and reopened.details["reason"] == "Backlog"
    history = rows(client.get(_url(), {"date": day.isoformat()}).content.decode(), "history-table")
    assert [r[2] for r in history] == ["Day reopened", "Day closed"]


def test_a_unit_of_the_head_s_kanim_is_managed_from_its_own_page(network, as_user, day):
    response = as_user(network.head_a).post(_url("ULP-A1", "change"), {
        "date": day.isoformat(), "slot": "08:00", "capacity": "3", "reason": "Unit short-staffed"})
    assert response.status_code == 302
    assert Event.objects.get(action="QUOTA_CHANGE").office_id == network.unit_a.pk


def test_a_bad_date_on_the_page_is_named_and_today_shown(network, as_user):
    response = as_user(network.head_a).get(_url(), {"date": "tomorrow"})
    assert response.status_code == 400
    assert "Give a date as YYYY-MM-DD." in response.content.decode()


def test_capacity_page_queries_do_not_grow_with_history(network, as_user, day, django_assert_max_num_queries):
    client = as_user(network.head_a)
    client.get(_url(), {"date": day.isoformat()})
    with django_assert_max_num_queries(16) as few:
        assert client.get(_url(), {"date": day.isoformat()}).status_code == 200
    baseline = len(few.captured_queries)  # read now: the next request resets the log
    for capacity in range(8, 20):
        client.post(_url(action="change"), {"date": day.isoformat(), "slot": "08:00", "capacity": capacity,
                                            "reason": f"step {capacity}"})
    with django_assert_max_num_queries(baseline):
        response = client.get(_url(), {"date": day.isoformat()})
    assert len(rows(response.content.decode(), "history-table")) == 12


def test_a_refused_reopen_shows_its_message_on_the_reopen_form(network, as_user, day):
    client = as_user(network.head_a)
    assert client.post(_url(action="close"), {"date": day.isoformat(), "reason": "Hari raya"}).status_code == 302
    refused = client.post(_url(action="reopen"), {"date": day.isoformat(), "reason": "x" * (REASON_LENGTH + 1)})
    assert refused.status_code == 400
    assert list(field_errors(refused.content.decode(), "reopen-form")) == ["reopen-reason"]
    assert not Event.objects.filter(action="DAY_REOPEN").exists()
    assert Slot.objects.filter(office=network.kanim_a, service_date=day, closed=False).count() == 0
