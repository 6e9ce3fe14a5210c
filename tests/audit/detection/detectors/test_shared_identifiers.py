import datetime as dt

from ..history import MONDAY, WIB, working_days
from ..running import clusters_now, detect


def _ring_busy(history, ring):
    for account in ring:
        for day in working_days(MONDAY, 2):
            history.booking(account, day)


def _login(history, nip, ip, day=MONDAY):
    history.event(dt.datetime.combine(day, dt.time(7, 45), tzinfo=WIB).isoformat(), {"staff": nip},
                  "STAFF_LOGIN", ip=ip)


def test_an_officer_signing_in_from_a_brokers_address_is_flagged(history):
    officers = history.staff(3)
    ring = [history.account(phone="081299990000", ip="36.80.12.34") for _ in range(3)]
    _ring_busy(history, ring)
    _login(history, officers[0], "36.80.12.34")
    for nip in officers[1:]:
        _login(history, nip, "10.1.1.1")
    history.load()
    drafts = detect("officer_broker_shared_identifiers", clusters=clusters_now(min_bookings=3))
    assert [d.subject_id for d in drafts] == [officers[0]]
    assert drafts[0].evidence["identifiers"] == ["ip:36.80.12.34"] and len(drafts[0].account_refs) == 3


def test_the_office_network_shared_by_all_its_staff_is_not_evidence(history):
    officers = history.staff(4)
    ring = [history.account(phone="081299990000", ip="10.1.1.1") for _ in range(3)]
    _ring_busy(history, ring)
    for nip in officers:
        _login(history, nip, "10.1.1.1")
    history.load()
    assert detect("officer_broker_shared_identifiers", clusters=clusters_now(min_bookings=3)) == []
