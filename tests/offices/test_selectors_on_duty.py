"""Staff on duty are counted on each office's own calendar day (selectors)."""

from __future__ import annotations

import datetime as dt

from offices.choices import OfficeTimezone, Role
from offices.models import Office
from offices.selectors import offices_with_staff_on_duty, staff_on_duty
from tests import builders


def test_on_duty_counts_postings_in_force_on_the_office_own_today(db):
    office = builders.office("KANIM-WIT", timezone=OfficeTimezone.WIT)
    today = office.local_date()
    builders.staff_user(Role.OFFICER, office, valid_from=today)
    builders.staff_user(Role.OFFICER, office, valid_from=today - dt.timedelta(days=9), valid_until=today)
    builders.staff_user(Role.OFFICER, office, valid_from=today + dt.timedelta(days=1))
    builders.staff_user(Role.OFFICER, office, valid_from=today - dt.timedelta(days=9),
                        valid_until=today - dt.timedelta(days=1))
    counted = offices_with_staff_on_duty(Office.objects.filter(pk=office.pk)).get()
    assert counted.on_duty == 2
    assert staff_on_duty(office).count() == 2


def test_on_duty_lists_each_kanim_before_its_units(network):
    rows = list(offices_with_staff_on_duty(Office.objects.all()))
    codes = [o.code for o in rows]
    assert codes.index("KANIM-A") < codes.index("ULP-A1")
    assert {o.code: o.on_duty for o in rows}["KANIM-A"] == 2
