import datetime as dt

from bookings.calendar import released_at, slot_windows, spread


def test_quota_is_spread_earlier_slots_first():
    assert spread(100, 16) == [7, 7, 7, 7] + [6] * 12
    assert sum(spread(100, 16)) == 100


def test_windows_cover_opening_hours(network, settings):
    windows = slot_windows(network.kanim_a)
    assert windows[0] == (dt.time(8, 0), dt.time(8, 30))
    assert windows[-1] == (dt.time(15, 30), dt.time(16, 0)) and len(windows) == 16


def test_short_stub_before_closing_is_not_a_slot(network, settings):
    settings.BOOKING_SLOT_MINUTES = 45
    assert slot_windows(network.kanim_a)[-1] == (dt.time(14, 45), dt.time(15, 30))


def test_release_is_in_the_office_zone(network, settings):
    settings.BOOKING_RELEASE_TIME = "08:00"
    settings.BOOKING_DAYS_AHEAD = 7
    opens = released_at(network.kanim_b, dt.date(2026, 12, 10))
    assert opens.isoformat() == "2026-12-03T08:00:00+08:00"
