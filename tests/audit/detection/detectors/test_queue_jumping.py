import datetime as dt

from ..history import MONDAY, WIB, working_days
from ..running import clusters_now, detect


def _queue(history, officers, day, count=12):
    """Ordinary applicants all checked in by 08:30, served one after another in that order."""
    refs = []
    for i in range(count):
        ref = history.booking(history.account(), day)
        checkin = dt.datetime.combine(day, dt.time(8, 0), tzinfo=WIB) + dt.timedelta(minutes=2 * i)
        history.event(checkin.isoformat(), {"staff": officers[0]}, "CHECK_IN", booking=ref)
        served = dt.datetime.combine(day, dt.time(9, 0), tzinfo=WIB) + dt.timedelta(minutes=10 * i)
        history.event(served.isoformat(), {"staff": officers[i % len(officers)]}, "VERIFY_DOCUMENTS",
                      booking=ref)
        refs.append(ref)
    return refs


def test_applicants_served_far_ahead_of_their_turn_and_their_officer_are_flagged(history):
    officers = history.staff(2)
    ring = history.ring()
    for k, day in enumerate(working_days(MONDAY, 3)):
        _queue(history, officers, day)
        ref = history.booking(ring[k], day)
        history.event(dt.datetime.combine(day, dt.time(8, 50), tzinfo=WIB).isoformat(),
                      {"staff": officers[0]}, "CHECK_IN", booking=ref)
        history.event(dt.datetime.combine(day, dt.time(8, 55), tzinfo=WIB).isoformat(),
                      {"staff": officers[1]}, "VERIFY_DOCUMENTS", booking=ref)
    history.load()
    drafts = detect("queue_jumping", clusters=clusters_now(min_bookings=3))
    assert [d.subject_id for d in drafts] == [officers[1]]
    assert drafts[0].evidence["jumps"] == 3 and drafts[0].evidence["in_clusters"] == 3


def test_priority_applicants_served_first_are_not_queue_jumpers(history):
    officers = history.staff(2)
    for day in working_days(MONDAY, 3):
        _queue(history, officers, day)
        ref = history.booking(None, day, channel="PRIORITY")
        history.event(dt.datetime.combine(day, dt.time(8, 50), tzinfo=WIB).isoformat(),
                      {"staff": officers[0]}, "CHECK_IN", booking=ref)
        history.event(dt.datetime.combine(day, dt.time(8, 55), tzinfo=WIB).isoformat(),
                      {"staff": officers[1]}, "VERIFY_DOCUMENTS", booking=ref)
    history.load()
    assert detect("queue_jumping") == []
