import datetime as dt

from ..history import MONDAY, WIB, working_days
from ..running import clusters_now, detect


def _busy_ring(history):
    ring = history.ring()
    for account in ring:
        for day in working_days(MONDAY, 2):
            history.booking(account, day)
    return ring


def _walk_in(history, nip, phone, day=MONDAY):
    ref = history.booking(None, day, phone=phone)
    history.event(dt.datetime.combine(day, dt.time(9, 0), tzinfo=WIB).isoformat(), {"staff": nip},
                  "WALK_IN_INSERT", booking=ref)


def test_walk_ins_inserted_for_a_brokers_clients_are_flagged(history):
    officers = history.staff(2)
    _busy_ring(history)
    for _ in range(2):
        _walk_in(history, officers[0], "081299990000")
    _walk_in(history, officers[1], "081377770000")
    history.load()
    drafts = detect("walk_ins_and_quota_raises", clusters=clusters_now())
    assert [(d.subject_id, d.evidence["walk_ins"]) for d in drafts] == [(officers[0], 2)]


def test_a_quota_raise_taken_by_a_cluster_is_flagged(history):
    head = history.staff(role="OFFICE_HEAD")[0]
    ring = _busy_ring(history)
    day = MONDAY + dt.timedelta(days=14)
    raised = dt.datetime.combine(MONDAY, dt.time(10, 0), tzinfo=WIB)
    history.event(raised.isoformat(), {"staff": head}, "QUOTA_CHANGE",
                  details={"date": day.isoformat(), "old": 100, "new": 104})
    for k in range(3):
        history.booking(ring[k], day, created=(raised + dt.timedelta(minutes=3 + k)).isoformat())
    history.load()
    drafts = detect("walk_ins_and_quota_raises", clusters=clusters_now())
    assert [(d.subject_id, d.evidence["taken_by_cluster"]) for d in drafts] == [(head, 3)]


def test_a_quota_raise_taken_by_the_public_is_not_flagged(history):
    head = history.staff(role="OFFICE_HEAD")[0]
    _busy_ring(history)
    day = MONDAY + dt.timedelta(days=14)
    raised = dt.datetime.combine(MONDAY, dt.time(10, 0), tzinfo=WIB)
    history.event(raised.isoformat(), {"staff": head}, "QUOTA_CHANGE",
                  details={"date": day.isoformat(), "old": 100, "new": 104})
    for k in range(4):
        history.booking(history.account(), day, created=(raised + dt.timedelta(minutes=3 + k)).isoformat())
    history.load()
    assert detect("walk_ins_and_quota_raises", clusters=clusters_now()) == []
