"""Genuine applicants are served the way the rules say: the planted abuse is the only exception."""

import datetime as dt
from collections import defaultdict

from offices.sample_network import sample_offices

from .conftest import at
from .records_v1 import nik_agrees, nik_is_valid

SAMPLES = {office.code: office for office in sample_offices()}


def _genuine(tiny):
    planted = tiny.ring_bookings | tiny.fictitious_bookings
    return [b for b in tiny.bookings.values() if b["ref"] not in planted and b["account"] not in tiny.bot_accounts]


def _local_time(text):
    return at(text).time()


def test_genuine_niks_are_valid_and_agree_with_birth_dates(tiny):
    for booking in _genuine(tiny):
        assert nik_is_valid(booking["nik"]), booking["ref"]
        assert nik_agrees(booking["nik"], booking["birth_date"]), booking["ref"]


def test_most_genuine_niks_come_from_the_office_province(tiny):
    genuine = _genuine(tiny)
    local = sum(b["nik"][:2] == SAMPLES[b["office"]].region_code for b in genuine)

    assert local / len(genuine) > 0.75


def test_the_approver_is_neither_verifier_nor_interviewer_for_genuine_bookings(tiny):
    checked = 0
    for booking in _genuine(tiny):
        approve = tiny.step(booking["ref"], "APPROVE") or tiny.step(booking["ref"], "REJECT")
        if approve is None:
            continue
        others = {tiny.step(booking["ref"], step)["actor"]["staff"] for step in ("VERIFY_DOCUMENTS", "INTERVIEW")}
        assert approve["actor"]["staff"] not in others, booking["ref"]
        checked += 1
    assert checked > 2000


def test_the_full_path_runs_in_order_for_issued_genuine_bookings(tiny):
    path = ["BOOK", "CHECK_IN", "VERIFY_DOCUMENTS", "CAPTURE_BIOMETRICS", "INTERVIEW", "APPROVE", "PRINT",
            "HAND_OVER"]
    issued = [b for b in _genuine(tiny) if b["status"] == "ISSUED" and b["channel"] == "ONLINE"]

    assert issued
    for booking in issued:
        actions = [e["action"] for e in tiny.by_booking[booking["ref"]] if e["action"] in path]
        assert actions == path, booking["ref"]


def test_genuine_applicants_are_called_in_check_in_order_priority_first(tiny):
    days = defaultdict(list)
    for booking in _genuine(tiny):
        check_in, verify = tiny.step(booking["ref"], "CHECK_IN"), tiny.step(booking["ref"], "VERIFY_DOCUMENTS")
        if verify is not None:
            days[booking["office"], booking["service_date"]].append(
                (at(check_in["at"]), at(verify["at"]), booking["channel"] == "PRIORITY", booking["ref"]))
    for applicants in days.values():
        for checked_in, called, priority, ref in applicants:
            for other_in, other_called, other_priority, other in applicants:
                waiting = other_in <= called < other_called
                ahead = (other_priority and not priority) or (other_priority == priority and other_in < checked_in)
                assert not (waiting and ahead), f"{ref} called before {other}"


def test_nobody_genuine_is_called_before_opening(tiny):
    for booking in _genuine(tiny):
        verify = tiny.step(booking["ref"], "VERIFY_DOCUMENTS")
        if verify is not None:
            opens = dt.time.fromisoformat(SAMPLES[booking["office"]].opens_at)
            assert _local_time(verify["at"]) >= opens, booking["ref"]


def test_slots_are_half_hours_within_opening_hours(tiny):
    for booking in tiny.bookings.values():
        sample = SAMPLES[booking["office"]]
        slot = dt.time.fromisoformat(booking["slot"])
        assert slot.minute % 30 == (dt.time.fromisoformat(sample.opens_at).minute % 30)
        assert dt.time.fromisoformat(sample.opens_at) <= slot


def test_bookings_are_made_before_the_day_except_walk_ins(tiny):
    for booking in tiny.bookings.values():
        created = at(booking["created_at"]).date()
        day = dt.date.fromisoformat(booking["service_date"])
        if booking["account"] is None:
            assert created == day
        else:
            assert created < day, booking["ref"]


def test_each_office_has_one_head_and_several_officers(tiny):
    roles = defaultdict(list)
    for person in tiny.staff.values():
        roles[person["office"], person["role"]].append(person["nip"])
    for code in tiny.truth["offices"]:
        assert len(roles[code, "OFFICE_HEAD"]) == 1
        assert len(roles[code, "OFFICER"]) >= 2


def test_offices_are_closed_at_weekends_unless_a_directive_orders_service(tiny):
    directive = tiny.truth["normal"]["directive"]
    ordered = {(code, day) for code in directive["offices"] for day in directive["dates"]}
    for booking in tiny.bookings.values():
        day = dt.date.fromisoformat(booking["service_date"])
        if day.weekday() >= 5:
            assert (booking["office"], booking["service_date"]) in ordered


def test_staff_log_in_before_their_first_action_and_out_after_their_last(tiny):
    start = dt.date.fromisoformat(tiny.truth["window"]["start"])
    sessions, actions = {}, defaultdict(list)
    for event in tiny.events:
        if "staff" not in event["actor"]:
            continue
        moment = at(event["at"])
        key = (event["actor"]["staff"], moment.date())
        if event["action"] in ("STAFF_LOGIN", "STAFF_LOGOUT"):
            sessions.setdefault(key, {})[event["action"]] = moment
        else:
            actions[key].append(moment)
    for key, moments in actions.items():
        if key[1] < start:
            continue
        assert key in sessions, key
        assert sessions[key]["STAFF_LOGIN"] <= min(moments) and max(moments) <= sessions[key]["STAFF_LOGOUT"]


def test_logins_come_from_the_office_wifi_shared_by_its_officers(tiny):
    addresses = defaultdict(set)
    for event in tiny.events:
        if event["action"] == "STAFF_LOGIN":
            addresses[event["office"], event["ip"]].add(event["actor"]["staff"])
    for code in tiny.truth["offices"]:
        assert max(len(nips) for (office, _ip), nips in addresses.items() if office == code) >= 2


def test_no_show_is_marked_by_the_system_after_closing(tiny):
    for booking in tiny.bookings.values():
        if booking["status"] == "NO_SHOW":
            mark = tiny.step(booking["ref"], "MARK_NO_SHOW")
            assert mark["actor"] == {"system": "no-show-sweep"}
            assert _local_time(mark["at"]) > dt.time.fromisoformat(SAMPLES[booking["office"]].closes_at)
