"""A broker cluster: its accounts, the identifiers they share (masked), their bookings, and a
graph of accounts and identifiers drawn in the browser by static/portal/graph.js."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..selectors_cluster import ACCOUNTS_SHOWN, BOOKINGS_SHOWN, cluster_detail
from .common import audit_page, url_or_none
from .findings import BOOKING_TIMELINE


@require_GET
@audit_page
def cluster_page(request, key: str):
    cluster = cluster_detail(key, user=request.user, reach=request.reach)
    if cluster is None:
        raise Http404
    return render(request, "detection/cluster.html", {
        "cluster": cluster, "graph": cluster.graph, "accounts_shown": ACCOUNTS_SHOWN,
        "bookings_shown": BOOKINGS_SHOWN,
        "bookings": [{"booking": b, "timeline_url": url_or_none(BOOKING_TIMELINE, b.code)}
                     for b in cluster.bookings],
        "tab": "inbox", "page_title": key,
    })
