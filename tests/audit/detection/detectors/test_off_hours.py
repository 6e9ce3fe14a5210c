from ..history import MONDAY, working_days
from ..running import detect


def test_an_officer_serving_before_opening_while_peers_keep_hours_is_flagged(history):
    officers = history.staff(4)
    ring = history.ring()
    for day in working_days(MONDAY, 3):
        history.ordinary_day(day, officers, 8, start="08:30")
        for k, account in enumerate(ring[:2]):
            history.serve(history.booking(account, day), day, officers[0], start=f"06:{10 + 20 * k}",
                          minutes=3)
    history.load()
    drafts = detect("off_hours_and_fast")
    assert [d.subject_id for d in drafts] == [officers[0]]
    assert len(drafts[0].evidence["days"]) == 3 and drafts[0].evidence["off_hours_steps"] >= 18


def test_a_day_the_whole_office_worked_late_is_not_flagged(history):
    officers = history.staff(4)
    for day in working_days(MONDAY, 3):
        # A backlog-clearing directive: everyone serves until the evening.
        history.ordinary_day(day, officers, 40, start="08:30", gap_minutes=15)
    history.load()
    assert detect("off_hours_and_fast") == []


def test_an_officer_serving_alone_after_closing_is_flagged(history):
    officers = history.staff(4)
    ring = history.ring()
    for day in working_days(MONDAY, 2):
        history.ordinary_day(day, officers, 8, start="08:30")
        for k, account in enumerate(ring[:2]):
            history.serve(history.booking(account, day), day, officers[0], start=f"17:{10 + 20 * k}",
                          minutes=3)
    history.load()
    drafts = detect("off_hours_and_fast")
    assert [d.subject_id for d in drafts] == [officers[0]]


def test_several_officers_finishing_a_long_queue_after_closing_are_not_flagged(history):
    officers = history.staff(4)
    for day in working_days(MONDAY, 3):
        history.ordinary_day(day, officers, 8, start="15:30", gap_minutes=6)
    history.load()
    assert detect("off_hours_and_fast") == []
