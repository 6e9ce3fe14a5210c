import datetime as dt

from ..history import MONDAY, WIB
from ..running import clusters_now, detect


def _cancel_and_rebook(history, released_by, taken_by, day, *, minutes):
    released = history.booking(released_by, day, slot="09:00", status="CANCELLED")
    cancelled = dt.datetime.combine(day - dt.timedelta(days=2), dt.time(20, 0), tzinfo=WIB)
    history.event(cancelled.isoformat(), {"account": released_by}, "BOOKING_CANCEL", booking=released)
    history.booking(taken_by, day, slot="09:00",
                    created=(cancelled + dt.timedelta(minutes=minutes)).isoformat())


def test_a_slot_cancelled_and_retaken_within_a_cluster_is_a_hand_over(history):
    ring = history.ring()
    for k in range(3):
        _cancel_and_rebook(history, ring[0], ring[1 + k % 3], MONDAY + dt.timedelta(days=k), minutes=2)
    history.load()
    drafts = detect("slot_hand_over", clusters=clusters_now(min_bookings=3))
    assert len(drafts) == 1 and drafts[0].evidence["hand_overs"] == 3
    assert drafts[0].evidence["median_minutes"] == 2.0


def test_a_freed_slot_taken_by_a_stranger_is_not_a_hand_over(history):
    ring = history.ring()
    for k in range(3):
        history.booking(ring[k], MONDAY)  # the ring is busy, and a cluster
        _cancel_and_rebook(history, ring[0], history.account(), MONDAY + dt.timedelta(days=k), minutes=2)
    history.load()
    assert detect("slot_hand_over", clusters=clusters_now(min_bookings=3)) == []
