import datetime as dt

from audit.detection.services import allowlist_add
from tests.builders import SYSTEM

from ..history import MONDAY, at, working_days
from ..running import detect


def _burst(history, account, count, *, status="NO_SHOW", day=MONDAY):
    created = dt.datetime.combine(day - dt.timedelta(days=10), dt.time(7, 0), tzinfo=dt.UTC)
    for k in range(count):
        history.booking(account, day, status=status, created=(created + dt.timedelta(minutes=2 * k)).isoformat())


def _flagged_accounts(drafts):
    return {d.subject_id for d in drafts if d.subject_type == "account"}


def test_an_account_booking_faster_than_a_person_is_a_bot(history):
    bot = history.account()
    _burst(history, bot, 25)
    history.load()
    drafts = detect("bots")
    assert _flagged_accounts(drafts) == {bot}
    finding = next(d for d in drafts if d.subject_id == bot)
    assert finding.evidence["peak_hour"] >= 12 and len(finding.booking_refs) == 25


def test_a_family_booking_together_is_not_a_bot(history):
    family = history.account()
    _burst(history, family, 5, status="ISSUED")
    history.load()
    assert _flagged_accounts(detect("bots")) == set()


def test_a_licensed_agency_booking_a_collective_session_is_not_a_bot(history):
    agency = history.account(agency_license="PPIU-123/2017")
    _burst(history, agency, 45, status="ISSUED")
    history.load()
    assert _flagged_accounts(detect("bots")) == set()


def test_steady_volume_nobody_attends_is_a_bot(history):
    bot = history.account()
    for day in working_days(MONDAY, 18):
        for k in range(2):
            history.booking(bot, day, status="NO_SHOW", created=at(day - dt.timedelta(days=3), f"1{k}:00"))
    history.load()
    assert _flagged_accounts(detect("bots")) == {bot}


def test_steady_volume_whose_applicants_attend_is_not_a_bot(history):
    busy = history.account()
    for day in working_days(MONDAY, 18):
        for k in range(2):
            history.booking(busy, day, status="ISSUED", created=at(day - dt.timedelta(days=3), f"1{k}:00"))
    history.load()
    assert _flagged_accounts(detect("bots")) == set()


def test_an_allowlisted_account_is_not_flagged(history):
    bot = history.account()
    _burst(history, bot, 25)
    history.load()
    allowlist_add(actor=SYSTEM, kind="account", value=bot, reason="Registry test account")
    assert _flagged_accounts(detect("bots")) == set()


def test_one_device_booking_for_many_accounts_at_a_bot_rate_is_reported(history):
    accounts = [history.account() for _ in range(5)]
    created = dt.datetime.combine(MONDAY - dt.timedelta(days=10), dt.time(7, 0), tzinfo=dt.UTC)
    for k in range(45):
        history.booking(accounts[k % 5], MONDAY, status="NO_SHOW", device="farm-1",
                        created=(created + dt.timedelta(seconds=60 * k)).isoformat())
    history.load()
    devices = [d for d in detect("bots") if d.subject_type == "device"]
    assert [d.subject_id for d in devices] == ["farm-1"]
    assert set(devices[0].account_refs) == set(accounts)


def test_a_few_attempts_seconds_apart_are_a_bot(history):
    bot = history.account()
    created = dt.datetime.combine(MONDAY - dt.timedelta(days=10), dt.time(7, 0), tzinfo=dt.UTC)
    for k in range(5):
        history.booking(bot, MONDAY, status="NO_SHOW", created=(created + dt.timedelta(seconds=4 * k)).isoformat())
    history.load()
    assert _flagged_accounts(detect("bots")) == {bot}


def test_a_family_filling_in_forms_one_after_another_is_not_a_bot(history):
    family = history.account()
    created = dt.datetime.combine(MONDAY - dt.timedelta(days=10), dt.time(7, 0), tzinfo=dt.UTC)
    for k in range(5):
        history.booking(family, MONDAY, created=(created + dt.timedelta(seconds=150 * k)).isoformat())
    history.load()
    assert _flagged_accounts(detect("bots")) == set()
