"""A run over old history meets anonymised bookings: their blank NIK is not an invalid one."""

import datetime as dt

from django.utils import timezone

from bookings.models import Booking

from ..history import MONDAY
from ..running import detect

BORN = dt.date(1990, 5, 17)


def test_an_anonymised_booking_is_not_judged_fictitious(history):
    account = history.account()
    ref = history.booking(account, MONDAY, nik_value="0074010000000000", born=BORN)
    history.load()
    assert detect("fictitious_applications")
    # As retention leaves it (bookings.retention): blank NIK, no account, the year of birth.
    Booking.objects.filter(ref=ref).update(nik="", name="", phone="", account=None,
                                           birth_date=dt.date(1990, 1, 1), anonymised_at=timezone.now())
    assert detect("fictitious_applications") == []


def test_an_anonymised_booking_imported_from_records_is_skipped_alike(history):
    # What export_records writes for bookings retention has anonymised: placeholders that are no
    # NIK (and would be an invalid one) beside the mark.
    refs = []
    for _ in range(3):
        refs.append(history.booking(None, MONDAY, channel="ONLINE", born=dt.date(1990, 1, 1)))
        history.records[-1].update(nik="ANONYMISED", name="ANONYMISED", phone="", ip=None, device=None,
                                   anonymised_at=timezone.now().isoformat())
    history.load()
    stored = Booking.objects.filter(ref__in=refs)
    assert {(b.nik, b.name, b.account_id, b.anonymised_at is not None) for b in stored} == {("", "", None, True)}
    assert detect("fictitious_applications") == []
