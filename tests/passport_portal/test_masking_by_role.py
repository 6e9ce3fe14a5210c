"""NIKs and phone numbers stay out of URLs, lists and CSV exports, whoever reads them.

Only the detail of one booking (the counter's view, its opening recorded) shows an applicant's
NIK and phone in full; every list and every export shows the NIK masked and the phone not at all,
and every read of the trail masks NIKs in events (auditors do see phone numbers named as
evidence, such as a phone shared by many accounts, so events keep those).
"""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token

from audit.actions import Action
from audit.trail import Actor, event_record
from tests.audit.detection.findings import finding_about
from tests.bookings import builders as booking_builders
from tests.pages.conftest import sign_in
from tests.passport_portal.world import build_world

NIK = "3174015705900042"  # the applicant's own, booked below
STRAY_NIK = "3171011501900001"  # a NIK carried raw in an imported event's details
PHONE = "081399998888"
RAW = [NIK, STRAY_NIK, PHONE, "0813-9999-8888"]
# Page exports of lists (the staff, network, audit and findings tables all stream CSV).
EXPORTS = ["/network/?export=csv", "/staff/?export=csv", "/audit/?export=csv", "/findings/?export=csv"]


def _walk(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def test_no_route_takes_a_nik():
    """NIKs never travel in a URL (paths end up in access logs, proxies and browser history)."""
    routes = list(_walk())
    assert len(routes) > 50
    for route, _ in routes:
        names = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)
        for name in (n for pair in names for n in pair if n):
            assert "nik" not in name.lower(), route
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                assert "nik" not in parameter["name"].lower(), (path, parameter["name"])
                assert "phone" not in parameter["name"].lower(), (path, parameter["name"])


@pytest.fixture
def personal_data(network, settings):
    world = build_world(network, settings)
    booking = booking_builders.booking(world.applicant, network.kanim_a, world.booking.service_date,
                                       nik=NIK, phone="0813-9999-8888")
    with transaction.atomic():
        event = event_record(actor=Actor.system("records-import"), action=Action.RECORDS_IMPORT,
                             office=network.kanim_a, target_type="booking", target_id=STRAY_NIK,
                             details={"applicant": {"nik": STRAY_NIK}})
    finding = finding_about(nip=world.officer_nip, office=network.kanim_a)
    finding.event_ids = [event.pk]
    finding.save(update_fields=["event_ids"])
    return world, booking, finding


def _list_operations() -> list[str]:
    """Every GET of the API without a path parameter: lists and reports."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(path for path, ops in schema["paths"].items() if "get" in ops and "{" not in path
                  and not path.endswith(("/schema/", "/docs/", "/redoc/")))


def _leaks(body: str) -> list[str]:
    return [value for value in RAW if value in body]


def test_api_lists_and_exports_mask_niks_and_hide_phones_for_every_role(network, personal_data, api):
    world, booking, finding = personal_data
    paths = [*_list_operations(), f"/api/v1/detection/findings/{finding.pk}/events/",
             f"/api/v1/detection/findings/{finding.pk}/", f"/api/v1/audit/bookings/{booking.code}/timeline/"]
    assert "/api/v1/bookings/" in paths and "/api/v1/audit/events/export/" in paths
    read = 0
    for role, user in world.users(network).items():
        token = Token.objects.get_or_create(user=user)[0].key
        for path in paths:
            response = api.get(path, HTTP_AUTHORIZATION=f"Token {token}")
            assert response.status_code < 500, (role, path)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            read += response.status_code == 200
            assert _leaks(body.decode()) == [], f"{path} as {role} shows {_leaks(body.decode())}"
    assert read > 60


def test_the_events_behind_a_finding_are_masked(network, personal_data, api):
    _, _, finding = personal_data
    response = api.as_user(network.auditor).get(f"/api/v1/detection/findings/{finding.pk}/events/")
    assert response.status_code == 200
    [event] = response.json()["results"]
    assert event["target_id"] == "317101******0001"
    assert event["details"]["applicant"]["nik"] == "317101******0001"


def test_the_booking_detail_shows_the_nik_to_the_counter_only_in_full(network, personal_data, api):
    _, booking, _ = personal_data
    detail = api.as_user(network.officer_a).get(f"/api/v1/bookings/{booking.code}/").json()
    assert detail["nik"] == NIK
    listed = api.as_user(network.officer_a).get("/api/v1/bookings/").json()["results"]
    assert {row["nik"] for row in listed} >= {"317401******0042"}
    assert all("phone" not in row for row in listed)


@pytest.mark.parametrize("path", EXPORTS)
def test_page_exports_mask_niks_and_hide_phones_for_every_role(network, personal_data, client, path):
    world, _, _ = personal_data
    for role, user in world.users(network).items():
        if role == "applicant":
            continue
        sign_in(client, user)
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert _leaks(body.decode()) == [], f"{path} as {role}"
        client.logout()
