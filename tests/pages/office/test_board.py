"""The day's board: slots with their bookings, the queue in serving order, staff at their steps."""

from __future__ import annotations

import datetime as dt
import re

from bookings.choices import Channel
from bookings.services import day_close
from offices.choices import Role
from tests import builders as base
from tests.pages.office.conftest import NINE, through, walk_in
from tests.pages.office.html import figures, rows

STEPS_TO_DECISION = ("check_in", "verify_documents", "capture_biometrics", "interview")


def _build_day(network):
    """Five walk-ins today: one decided, three waiting (one PRIORITY), one not come."""
    decided = through(walk_in(network, 1), *STEPS_TO_DECISION, actor=network.officer_a)
    through(decided, "approve", actor=network.head_a)
    first = through(walk_in(network, 2), "check_in", actor=network.officer_a)
    priority = through(walk_in(network, 3, channel=Channel.PRIORITY), "check_in", actor=network.officer_a)
    later = through(walk_in(network, 4, slot_time=NINE), "check_in", actor=network.officer_a)
    absent = walk_in(network, 5, slot_time=NINE)
    return {"decided": decided, "first": first, "priority": priority, "later": later, "absent": absent}


def test_board_figures_add_up_from_the_day(network, as_user):
    _build_day(network)
    html = as_user(network.head_a).get("/office/KANIM-A/").content.decode()
    assert figures(html) == {"capacity": "100", "booked": "5", "checked_in": "4", "waiting": "3",
                             "served": "1", "not_come": "1"}


def test_queue_is_in_serving_order_priority_first_then_by_check_in(network, as_user):
    day = _build_day(network)
    html = as_user(network.head_a).get("/office/KANIM-A/").content.decode()
    queue = rows(html, "serving-order")
    assert [(r[0], r[1]) for r in queue] == [
        ("1", day["priority"].code), ("2", day["first"].code), ("3", day["later"].code)]
    checked_in = day["priority"].checked_in_at.astimezone(network.kanim_a.zone)
    assert queue[0][5] == checked_in.strftime("%H:%M")  # in the office's own zone


def test_each_slot_lists_its_bookings_with_their_step_and_place_in_the_queue(network, as_user):
    day = _build_day(network)
    html = as_user(network.head_a).get("/office/KANIM-A/").content.decode()
    slots = {r[0]: r for r in rows(html, "slot-table")}
    eight, nine = slots["08:00–08:30"], slots["09:00–09:30"]
    # a quota of 100 over sixteen half-hour slots: the first four hold 7, the others 6
    assert eight[1:3] == ["3", "7"] and nine[1:3] == ["2", "7"] and slots["10:00–10:30"][1:3] == ["0", "6"]
    # waiting bookings first, in serving order; then the one already decided
    codes = re.findall(r"[0-9A-Z]{10}", eight[3])
    assert codes == [day["priority"].code, day["first"].code, day["decided"].code]
    assert f"{day['priority'].code} Checked in · #1" in eight[3] and f"{day['decided'].code} Approved" in eight[3]
    assert f"{day['later'].code} Checked in · #3" in nine[3] and f"{day['absent'].code} Booked" in nine[3]


def test_staff_on_duty_show_the_step_each_took_last(network, as_user):
    _build_day(network)
    html = as_user(network.head_a).get("/office/KANIM-A/").content.decode()
    staff = {r[0]: r for r in rows(html, "staff")}
    assert staff[network.officer_a.staff.name][1:3] == ["Counter officer", "Check-in"]
    assert staff[network.head_a.staff.name][1:3] == ["Office head", "Approval"]
    assert re.fullmatch(r"\d\d:\d\d", staff[network.head_a.staff.name][3])


def test_steps_at_another_office_do_not_count_as_this_office_s(network, as_user):
    through(walk_in(network, 6, office=network.unit_a, actor=network.head_a), "check_in", actor=network.head_a)
    html = as_user(network.head_a).get("/office/KANIM-A/").content.decode()
    staff = {r[0]: r for r in rows(html, "staff")}
    assert staff[network.head_a.staff.name][2] == "–"


def test_board_shows_the_office_clock_and_slot_times_with_its_zone(network, as_user):
    html = as_user(network.head_b).get("/office/KANIM-B/").content.decode()
    assert '<span class="zone">WITA</span>' in html and "Slots today (WITA)" in html


def test_queue_partial_refreshes_with_htmx(network, as_user):
    client = as_user(network.officer_a)
    board = client.get("/office/KANIM-A/").content.decode()
    assert 'hx-get="/office/KANIM-A/queue/" hx-trigger="every 30s"' in board
    booking = through(walk_in(network, 7), "check_in", actor=network.officer_a)
    partial = client.get("/office/KANIM-A/queue/", HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith("<div id=\"queue\"") and "<html" not in partial
    assert [r[1] for r in rows(partial, "serving-order")] == [booking.code]


def test_a_closed_day_says_so(network, as_user, today):
    day_close(actor=network.head_a, office=network.kanim_a, service_date=today, reason="Idul Fitri")
    html = as_user(network.officer_a).get("/office/KANIM-A/").content.decode()
    assert "The office is closed today." in html


def test_board_queries_do_not_grow_with_bookings_or_staff(network, as_user, django_assert_max_num_queries):
    client = as_user(network.head_a)
    client.get("/office/KANIM-A/")
    with django_assert_max_num_queries(16) as few:
        assert client.get("/office/KANIM-A/").status_code == 200
    baseline = len(few.captured_queries)  # read now: the next request resets the log
    _build_day(network)
    afternoon = [dt.time(10 + i // 2, 30 * (i % 2)) for i in range(12)]  # 10:00 … 15:30
    for serial in range(20, 44):
        walk_in(network, serial, slot_time=afternoon[serial % 12])
    for _ in range(3):
        base.staff_user(Role.OFFICER, network.kanim_a)
    with django_assert_max_num_queries(baseline):
        assert client.get("/office/KANIM-A/").status_code == 200


def test_times_follow_the_language(network, as_user):
    client = as_user(network.head_a)
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    html = client.get("/office/KANIM-A/").content.decode()
    assert rows(html, "slot-table")[0][0].startswith("08.00–08.30")
