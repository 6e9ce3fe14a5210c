import datetime as dt

from audit.detection.models import ClusterMember
from audit.detection.services import allowlist_add
from tests.builders import SYSTEM

from ..history import MONDAY, working_days
from ..running import detect


def _ring(history, *, size=4, phone="081299990000", per_account=5, status="ISSUED", **shared):
    accounts = [history.account(phone=phone, **shared) for _ in range(size)]
    for account in accounts:
        for day in working_days(MONDAY, per_account):
            history.booking(account, day, status=status)
    return accounts


def _clusters(drafts):
    return [d for d in drafts if d.subject_type == "cluster"]


def test_accounts_sharing_a_phone_whose_clients_attend_form_a_broker_cluster(history):
    ring = _ring(history)
    history.load()
    clusters = _clusters(detect("broker_clusters"))
    assert len(clusters) == 1
    assert set(clusters[0].account_refs) == set(ring)
    assert clusters[0].evidence["linked_by"] == ["phone"]
    assert set(ClusterMember.objects.values_list("account_ref", flat=True)) == set(ring)


def test_accounts_linked_through_a_chain_of_identifiers_form_one_cluster(history):
    a = history.account(phone="081211110000", device="d-ring")
    b = history.account(phone="081211110000")
    c = history.account(email="calo@example.invalid", device="d-ring")
    for account in (a, b, c):
        for day in working_days(MONDAY, 5):
            history.booking(account, day)
    history.load()
    clusters = _clusters(detect("broker_clusters"))
    assert [set(cl.account_refs) for cl in clusters] == [{a, b, c}]


def _bridged_pair_and_one(history, *, bridge_created, bridge_books):
    """Two accounts on one phone and a third on its own device, joined only by a fourth account
    registered with that phone and that device."""
    a = history.account(phone="081244440000")
    b = history.account(phone="081244440000")
    c = history.account(device="d-bridge")
    bridge = history.account(phone="081244440000", device="d-bridge", created=bridge_created)
    for account in (a, b, c):
        for day in working_days(MONDAY, 6):
            history.booking(account, day)
    if bridge_books:
        history.booking(bridge, MONDAY)
    history.load()
    return {a, b, c, bridge}


def test_an_account_seen_only_before_the_history_links_nobody(history):
    # Registered long before the window and silent in it: its old number and device say
    # nothing about who holds them now.
    _bridged_pair_and_one(history, bridge_created=dt.date(2023, 6, 1), bridge_books=False)
    assert _clusters(detect("broker_clusters")) == []


def test_an_old_account_that_books_in_the_history_still_links_by_its_registration(history):
    ring = _bridged_pair_and_one(history, bridge_created=dt.date(2023, 6, 1), bridge_books=True)
    clusters = _clusters(detect("broker_clusters"))
    assert [set(cl.account_refs) for cl in clusters] == [ring]


def test_a_family_sharing_a_phone_is_not_a_cluster(history):
    _ring(history, size=2)
    history.load()
    assert _clusters(detect("broker_clusters")) == []


def test_an_identifier_shared_by_too_many_accounts_links_nobody(history):
    _ring(history, size=15, ip="36.68.0.1", phone=None)
    history.load()
    assert _clusters(detect("broker_clusters")) == []


def test_neighbours_behind_one_address_booking_once_each_are_not_a_cluster(history):
    _ring(history, size=4, per_account=1, ip="36.68.0.9", phone=None)
    history.load()
    assert _clusters(detect("broker_clusters", min_bookings=1)) == []


def test_accounts_whose_bookings_nobody_attends_are_not_a_broker_cluster(history):
    _ring(history, status="NO_SHOW")
    history.load()
    assert _clusters(detect("broker_clusters")) == []


def test_licensed_agency_accounts_are_not_a_cluster(history):
    _ring(history, agency_license="PPIU-9")
    history.load()
    assert _clusters(detect("broker_clusters")) == []


def test_an_allowlisted_phone_links_nobody(history):
    _ring(history)
    history.load()
    allowlist_add(actor=SYSTEM, kind="phone", value="0812-9999-0000", reason="Family phone")
    assert _clusters(detect("broker_clusters")) == []
