import datetime as dt

from ..history import MONDAY, nik
from ..running import detect

BORN = dt.date(1990, 5, 17)


def _accounts(drafts):
    return {d.subject_id: d for d in drafts if d.subject_type == "account"}


def test_an_invalid_nik_structure_is_fictitious(history):
    account = history.account()
    bad = history.booking(account, MONDAY, nik_value="0074010000000000", born=BORN)
    history.load()
    found = _accounts(detect("fictitious_applications"))
    assert found[account].booking_refs == [bad]
    assert found[account].evidence["reasons"]["invalid NIK"] == 1


def test_a_nik_disagreeing_with_the_birth_date_is_fictitious(history):
    account = history.account()
    history.booking(account, MONDAY, nik_value=nik(5, born=dt.date(1991, 5, 17)), born=BORN)
    history.load()
    found = _accounts(detect("fictitious_applications"))
    assert found[account].evidence["reasons"] == {"NIK disagrees with birth date": 1}


def test_a_womans_nik_with_forty_added_to_the_day_agrees(history):
    account = history.account()
    history.booking(account, MONDAY, nik_value=f"317401{17 + 40}0590{1234}", born=BORN)
    history.load()
    assert _accounts(detect("fictitious_applications")) == {}


def test_one_nik_booked_from_many_accounts_is_fictitious(history):
    accounts = [history.account() for _ in range(3)]
    shared = nik(77, born=BORN)
    for account in accounts:
        history.booking(account, MONDAY, nik_value=shared, born=BORN)
    history.load()
    found = _accounts(detect("fictitious_applications"))
    assert set(found) == set(accounts)


def test_a_run_of_consecutive_niks_is_fictitious(history):
    account = history.account()
    for serial in range(1001, 1006):
        history.booking(account, MONDAY, nik_value=f"317401170590{serial:04d}", born=BORN)
    history.load()
    found = _accounts(detect("fictitious_applications"))
    assert found[account].evidence["reasons"] == {"run of consecutive NIKs": 5}


def test_twins_with_consecutive_serials_are_not_a_run(history):
    account = history.account()
    for serial in (1001, 1002):
        history.booking(account, MONDAY, nik_value=f"317401170590{serial:04d}", born=BORN)
    history.load()
    assert _accounts(detect("fictitious_applications")) == {}


def test_an_account_nobody_ever_came_for_is_fictitious(history):
    account = history.account()
    for k in range(5):
        history.booking(account, MONDAY + dt.timedelta(days=k), status="NO_SHOW")
    history.load()
    found = _accounts(detect("fictitious_applications"))
    assert len(found[account].booking_refs) == 5


def test_a_family_that_missed_one_appointment_is_not_fictitious(history):
    account = history.account()
    for k in range(5):
        history.booking(account, MONDAY + dt.timedelta(days=k), status="NO_SHOW" if k == 0 else "ISSUED")
    history.load()
    assert _accounts(detect("fictitious_applications")) == {}


def test_a_walk_in_with_an_invalid_nik_is_reported_as_a_booking(history):
    bad = history.booking(None, MONDAY, nik_value="12345", born=BORN)
    history.load()
    drafts = detect("fictitious_applications")
    assert [(d.subject_type, d.subject_id) for d in drafts] == [("booking", bad)]
