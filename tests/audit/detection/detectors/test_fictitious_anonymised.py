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
