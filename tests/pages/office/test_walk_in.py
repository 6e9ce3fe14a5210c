"""The walk-in form: the NIK checked, a place taken like any booking, errors beside their field,
and the insert (or the refusal) in the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import Event
from bookings.models import Booking, Slot
from bookings.services import capacity_change
from tests.bookings.builders import BIRTH, nik_for
from tests.pages.office.html import field_errors, form_alerts

URL = "/office/KANIM-A/walk-ins/"


def _data(**fields) -> dict:
    return {"nik": nik_for(501), "name": "Siti Aminah", "birth_date": BIRTH.isoformat(),
            "phone": "0812-1111-2222", "email": "", "service": "RENEWAL", "channel": "WALK_IN",
            "slot": "09:00"} | fields


def _slot(network, time=dt.time(9, 0)) -> Slot:
    return Slot.objects.get(office=network.kanim_a, service_date=network.kanim_a.local_date(), starts_at=time)


@pytest.mark.parametrize("role", ["officer_a", "head_a"])
def test_a_walk_in_takes_a_place_today_and_is_recorded(network, as_user, role):
    user = getattr(network, role)
    response = as_user(user).post(URL, _data(channel="PRIORITY"), REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 302 and response["Location"] == "/office/KANIM-A/"
    booking = Booking.objects.get(nik=nik_for(501))
    assert (booking.service_date, booking.slot_time, booking.channel, booking.created_by) == (
        network.kanim_a.local_date(), dt.time(9, 0), "PRIORITY", user.staff)
    assert _slot(network).booked == 1
    event = Event.objects.get(action="WALK_IN_INSERT")
    assert (event.actor_id, event.target_id, event.ip) == (user.staff.nip, booking.ref, "10.9.8.7")
    assert event.details["slot"] == "09:00" and event.details["channel"] == "PRIORITY"
    board = as_user(user).get(response["Location"]).content.decode()
    assert f"Walk-in booked: code {booking.code}, slot 09:00." in board


def test_a_nik_that_disagrees_with_the_birth_date_is_named_on_the_nik_field(network, as_user):
    response = as_user(network.officer_a).post(URL, _data(birth_date="1991-05-17"))
    assert response.status_code == 400
    errors = field_errors(response.content.decode(), "walk-in-form")
    assert list(errors) == ["id_nik"]
    assert not Booking.objects.exists() and not Slot.objects.filter(booked__gt=0).exists()
    refused = Event.objects.get(action="BOOK_REFUSED")
    assert refused.details["reason"] == "nik_birth_date_mismatch" and refused.actor_id == network.officer_a.staff.nip


def test_every_bad_field_the_service_finds_is_named(network, as_user):
    response = as_user(network.officer_a).post(URL, _data(phone="12", email="not-an-address"))
    assert response.status_code == 400
    errors = field_errors(response.content.decode(), "walk-in-form")
    assert set(errors) == {"id_phone", "id_email"}
    assert errors["id_email"] == ["Give a valid e-mail address or leave it empty."]
    assert Event.objects.get(action="BOOK_REFUSED").details["fields"] == ["email", "phone"]


def test_missing_and_malformed_fields_are_refused_by_the_form(network, as_user):
    response = as_user(network.officer_a).post(URL, _data(nik="", birth_date="17-05-1990", service="VISA"))
    assert response.status_code == 400
    errors = field_errors(response.content.decode(), "walk-in-form")
    assert errors == {"id_nik": ["This field is required."], "id_birth_date": ["Give a date as YYYY-MM-DD."],
                      "id_service": ["Select a valid choice. VISA is not one of the available choices."]}
    assert not Booking.objects.exists()


def test_a_full_slot_is_refused_above_the_form(network, as_user):
    capacity_change(actor=network.head_a, office=network.kanim_a, service_date=network.kanim_a.local_date(),
                    slot_time=dt.time(9, 0), capacity=0, reason="Counter closed")
    response = as_user(network.officer_a).post(URL, _data())
    assert response.status_code == 409
    assert form_alerts(response.content.decode(), "walk-in-form") == "This slot is full. Choose another time or day."
    assert Event.objects.get(action="BOOK_REFUSED").details["reason"] == "slot_full"


def test_the_form_offers_today_s_slots_in_the_office_zone(network, as_user):
    html = as_user(network.officer_b).get("/office/KANIM-B/walk-ins/").content.decode()
    assert '<option value="08:00">08:00–08:30</option>' in html and "slot times are WITA" in html
