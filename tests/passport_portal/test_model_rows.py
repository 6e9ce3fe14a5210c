"""Rows written once from a model's metadata give what the ORM would have written."""

import datetime as dt

import pytest
from django.db import models
from django.db.models.signals import post_save, pre_save
from django.forms.models import model_to_dict

from bookings.choices import Channel, Service
from bookings.models import Booking, Slot
from bookings.services import slots_materialise
from bookings.services.booking import BOOKING_ROW
from tests import builders
from tests.bookings import builders as booking_builders

pytestmark = pytest.mark.django_db
DIFFERENT = {"id", "ref", "code"}  # drawn afresh for every booking


DAY = dt.date(2026, 3, 2)


def unsaved_booking(office, account, nik: str) -> Booking:
    slot = Slot.objects.filter(office=office, service_date=DAY).order_by("starts_at").first()
    return Booking(account=account, office=office, slot=slot, service_date=DAY, slot_time=slot.starts_at,
                   service=Service.RENEWAL, channel=Channel.ONLINE, nik=nik, name="Siti Aminah",
                   birth_date=dt.date(1990, 5, 17), phone="+6281234567890", email="siti@example.invalid",
                   created_at=dt.datetime(2026, 2, 20, 3, 4, 5, 678901, tzinfo=dt.UTC), ip="2001:db8::7",
                   device="dev-9", details={"note": "ü", "n": [1, 2.5]})


def test_the_written_row_is_the_rows_the_orm_writes():
    office = builders.office("KANIM-W")
    slots_materialise(office=office, service_date=DAY)
    account = booking_builders.account_of(booking_builders.account_user())
    by_orm = unsaved_booking(office, account, booking_builders.nik_for(11))
    by_orm.save(force_insert=True)
    written = unsaved_booking(office, account, booking_builders.nik_for(12))
    BOOKING_ROW.insert(written)
    assert written.pk and not written._state.adding
    stored = {b.nik: model_to_dict(b, exclude=DIFFERENT) for b in Booking.objects.filter(pk__in=[by_orm.pk, written.pk])}
    orm_row, written_row = stored.pop(by_orm.nik), stored.pop(written.nik)
    assert orm_row.pop("nik") != written_row.pop("nik")
    assert written_row == orm_row
    assert written_row["details"] == {"note": "ü", "n": [1, 2.5]}
    assert Booking.objects.get(pk=written.pk).ref == written.ref


def test_the_booking_model_has_nothing_the_writer_would_skip():
    # The writer does not send save signals or call an overridden save().
    assert Booking.save is models.Model.save
    assert not pre_save.has_listeners(Booking) and not post_save.has_listeners(Booking)
