"""A broker cluster's page: its accounts, the identifiers they share (masked), their bookings,
and the graph data the browser draws (a JSON block, no inline code)."""

from __future__ import annotations

import datetime as dt
import json
import re

from bookings.models import Account, Booking
from tests.audit.detection.history import MONDAY
from tests.audit.detection.running import clusters_now

from .conftest import cluster_finding

PHONE = "081299990000"
NIK_LIKE_DEVICE = "3174014501900001"


def _ring(history, network, *, size: int = 4, bookings_each: int = 3, phone: str = PHONE):
    """A broker's accounts on one phone, two of them also on one device, each booking a few times."""
    device = NIK_LIKE_DEVICE if phone == PHONE else None
    refs = [history.account(phone=phone, device=device if index < 2 else None) for index in range(size)]
    for ref in refs:
        for day in range(bookings_each):
            history.booking(ref, MONDAY + dt.timedelta(days=day))
    history.load()
    key = clusters_now(max_accounts_per_identifier=100)[Account.objects.get(ref=refs[0]).pk]
    return key, refs, cluster_finding(key, accounts=refs, office=network.kanim_a)


def test_the_page_lists_the_accounts_the_shared_identifiers_and_the_bookings(network, as_user, history):
    key, refs, _finding = _ring(history, network)
    response = as_user(network.auditor).get(f"/findings/clusters/{key}/")
    cluster = response.context["cluster"]
    assert sorted(a.ref for a in cluster.accounts) == sorted(refs)
    assert all(a.booking_count == 3 for a in cluster.accounts)
    shared = {(i.kind, i.value): sorted(i.accounts) for i in cluster.identifiers}
    assert shared[("phone", "6281299990000")] == sorted(refs)
    assert cluster.booking_total == 12 and len(cluster.bookings) == 12
    html = response.content.decode()
    for code in Booking.objects.filter(account__ref__in=refs).values_list("code", flat=True):
        assert f'href="/audit/bookings/{code}/"' in html


def test_an_identifier_that_looks_like_a_nik_is_masked(network, as_user, history):
    key, refs, _finding = _ring(history, network)
    response = as_user(network.auditor).get(f"/findings/clusters/{key}/")
    devices = [i for i in response.context["cluster"].identifiers if i.kind == "device"]
    assert [(d.value, sorted(d.accounts)) for d in devices] == [("317401******0001", sorted(refs[:2]))]
    assert NIK_LIKE_DEVICE not in response.content.decode()


def test_the_graph_travels_as_json_with_accounts_identifiers_and_edges(network, as_user, history):
    key, _refs, _finding = _ring(history, network)
    html = as_user(network.auditor).get(f"/findings/clusters/{key}/").content.decode()
    block = re.search(r'<script id="cluster-graph" type="application/json">(.*?)</script>', html, re.S)
    graph = json.loads(block.group(1))
    kinds = sorted(node["kind"] for node in graph["nodes"])
    assert kinds == ["account"] * 4 + ["device", "phone"]
    assert len(graph["edges"]) == 4 + 2  # every account to the phone, two to the device
    assert "portal/graph.js" in html
    assert re.search(r"<script(?![^>]*(src=|application/json))", html) is None  # no inline code


def test_a_cluster_named_only_by_a_finding_the_reader_may_not_see_is_a_404(network, as_user, history):
    key, _refs, finding = _ring(history, network)
    finding.staff_nips = [network.auditor.staff.nip]
    finding.save(update_fields=["staff_nips"])
    assert as_user(network.auditor).get(f"/findings/clusters/{key}/").status_code == 404


def test_the_page_costs_the_same_queries_for_a_small_or_a_large_ring(
        network, as_user, history, django_assert_max_num_queries):
    key, _refs, _finding = _ring(history, network, size=3, bookings_each=1)
    client = as_user(network.auditor)
    with django_assert_max_num_queries(16):
        assert client.get(f"/findings/clusters/{key}/").status_code == 200
    big_key, _refs, _finding = _ring(history, network, size=30, bookings_each=4, phone="081277770000")
    with django_assert_max_num_queries(16):
        response = client.get(f"/findings/clusters/{big_key}/")
    assert len(response.context["cluster"].accounts) == 30
