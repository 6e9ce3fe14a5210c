"""The event search page: filters, order, paging by key, bounded count, CSV of the same rows, masking."""

import csv
import datetime as dt
import io

import pytest
from django.db import transaction

from audit.actions import Action
from audit.models import Event
from audit.pages import keyset
from audit.trail import actor_for_user, event_record
from offices.choices import Role
from passport_portal.request_meta import RequestMeta
from tests import builders

from .conftest import NIK, event_ids

UTC = dt.UTC
# The trail fixture's month: the network's own set-up events (offices, staff) happen today.
MARCH = "at_after=2026-03-01T00:00&at_before=2026-03-31T00:00"


@pytest.fixture
def auditor(network, as_user):
    return as_user(network.auditor)


def test_the_search_lists_events_newest_first(network, trail, auditor):
    html = auditor.get(f"/audit/?{MARCH}").content.decode()
    assert event_ids(html) == [trail["quota"].pk, trail["view"].pk, trail["check_in"].pk]


def test_oldest_first_on_request(network, trail, auditor):
    html = auditor.get(f"/audit/?{MARCH}&sort=at").content.decode()
    assert event_ids(html) == [trail["check_in"].pk, trail["view"].pk, trail["quota"].pk]


@pytest.mark.parametrize(("query", "expected"), [
    ("office=KANIM-B", ["view"]),
    ("action=CHECK_IN&action=QUOTA_CHANGE", ["quota", "check_in"]),
    ("office=KANIM-A", ["quota", "check_in"]),
    ("booking=BK-0001", ["check_in"]),
    ("ip=10.2.2.2", ["view"]),
    ("at_after=2026-03-05T00:00&at_before=2026-03-06T23:00", ["quota", "view"]),
    ("at_after=2026-03-02T07:59&at_before=2026-03-02T08:01", ["check_in"]),
    ("actor_type=staff&office=KANIM-A&action=QUOTA_CHANGE", ["quota"]),
])
def test_filters_give_the_right_events(network, trail, auditor, query, expected):
    if "at_after" not in query:
        query = f"{query}&{MARCH}"
    html = auditor.get(f"/audit/?{query}").content.decode()
    assert event_ids(html) == [trail[name].pk for name in expected]


def test_the_actor_filter_takes_a_nip(network, trail, auditor):
    html = auditor.get(f"/audit/?actor={network.officer_b.staff.nip}&{MARCH}").content.decode()
    assert event_ids(html) == [trail["view"].pk]


def test_a_booking_is_found_by_its_code_as_well_as_its_ref(network, auditor, applicant_user, day):
    from tests.bookings.builders import booking as make_booking

    booking = make_booking(applicant_user, network.kanim_a, day)
    book = Event.objects.get(action=Action.BOOK, target_id=booking.ref)
    for value in (booking.code, booking.ref):
        assert event_ids(auditor.get(f"/audit/?booking={value}").content.decode()) == [book.pk]


def test_an_invalid_filter_names_its_field_and_lists_nothing(network, trail, auditor):
    response = auditor.get("/audit/?ip=not-an-address")
    html = response.content.decode()
    assert "ip:" in html and event_ids(html) == []


def test_an_unknown_page_position_is_refused_with_a_message(network, trail, auditor):
    response = auditor.get("/audit/?after=yesterday")
    assert response.status_code == 400
    assert "after/before" in response.content.decode()


def test_times_are_shown_in_each_offices_zone_with_its_label(network, trail, auditor):
    html = auditor.get("/audit/").content.decode()
    row = html.split(f'data-event="{trail["check_in"].pk}"')[1].split("</tr>")[0]
    assert "08:00:00</time> <span class=\"zone\">WIB</span>" in row
    row = html.split(f'data-event="{trail["view"].pk}"')[1].split("</tr>")[0]
    assert "09:00:00</time> <span class=\"zone\">WITA</span>" in row


def test_niks_are_masked_on_the_page_and_in_the_csv(network, trail, auditor):
    page = auditor.get("/audit/").content.decode()
    export = b"".join(auditor.get("/audit/?export=csv").streaming_content).decode()
    assert NIK not in page and NIK not in export
    assert "317101******0001" in page and "317101******0001" in export


def test_rows_link_to_the_officer_and_the_booking_timelines(network, trail, auditor):
    html = auditor.get("/audit/?booking=BK-0001").content.decode()
    assert f'href="/audit/staff/{network.officer_a.staff.pk}/"' in html
    assert 'href="/audit/bookings/BK-0001/"' in html
    assert network.officer_a.staff.nip not in html.split('href="/audit/staff/')[1].split('"')[0]


@pytest.fixture
def many_events(network):
    """120 events by 40 officers at Kanim A, a minute apart, plus two sharing one instant."""
    officers = [actor_for_user(builders.staff_user(Role.OFFICER, network.kanim_a)) for _ in range(40)]
    start = dt.datetime(2026, 2, 1, 1, 0, tzinfo=UTC)
    with transaction.atomic():
        for n in range(120):
            event_record(actor=officers[n % 40], action=Action.CHECK_IN, office=network.kanim_a,
                         target_type="booking", target_id=f"BK-{n:04d}", meta=RequestMeta(ip="10.1.1.9"),
                         at=start + dt.timedelta(minutes=n if n < 119 else 118))
    return list(Event.objects.filter(action=Action.CHECK_IN).order_by("-at", "-id").values_list("pk", flat=True))


def _walk(client, query: str) -> list[list[int]]:
    """Every page of a search, following the Next links."""
    pages, url = [], f"/audit/?{query}"
    while url:
        html = client.get(url).content.decode()
        pages.append(event_ids(html))
        nxt = [part.split('"')[0] for part in html.split('href="?')[1:] if 'rel="next"' in part.split(">")[0]]
        url = f"/audit/?{nxt[0].replace('&amp;', '&')}" if nxt else None
    return pages


def test_paging_by_key_visits_every_event_once_in_order(network, many_events, auditor):
    pages = _walk(auditor, "action=CHECK_IN")
    assert [len(p) for p in pages] == [50, 50, 20]
    assert [pk for page in pages for pk in page] == many_events


def test_paging_oldest_first_is_the_exact_reverse(network, many_events, auditor):
    pages = _walk(auditor, "action=CHECK_IN&sort=at")
    assert [pk for page in pages for pk in page] == many_events[::-1]


def test_previous_goes_back_to_the_page_before(network, many_events, auditor):
    second = Event.objects.get(pk=many_events[49])
    html = auditor.get(f"/audit/?action=CHECK_IN&after={keyset.token_of(second)}").content.decode()
    assert event_ids(html) == many_events[50:100]
    third = Event.objects.get(pk=many_events[99])
    back = auditor.get(f"/audit/?action=CHECK_IN&before={keyset.token_of(Event.objects.get(pk=many_events[50]))}")
    assert event_ids(back.content.decode()) == many_events[:50]
    html = auditor.get(f"/audit/?action=CHECK_IN&after={keyset.token_of(third)}").content.decode()
    assert event_ids(html) == many_events[100:]


def test_the_count_stops_at_its_bound(network, many_events, auditor, monkeypatch):
    assert "120 events" in auditor.get("/audit/?action=CHECK_IN").content.decode()
    monkeypatch.setattr(keyset, "COUNT_LIMIT", 100)
    assert "more than 100 events" in auditor.get("/audit/?action=CHECK_IN").content.decode()


def test_the_csv_holds_the_same_events_in_the_same_order(network, many_events, trail, auditor):
    for query in ("office=KANIM-A", "office=KANIM-A&sort=at", "ip=10.2.2.2", "action=CHECK_IN"):
        response = auditor.get(f"/audit/?{query}&export=csv")
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
        shown = [pk for page in _walk(auditor, query) for pk in page]
        assert [int(row["id"]) for row in rows] == shown


def test_the_search_page_issues_no_query_per_row(network, many_events, auditor, django_assert_max_num_queries):
    auditor.get("/audit/")  # session and reach warmed up like any later request
    with django_assert_max_num_queries(12):
        html = auditor.get("/audit/?office=KANIM-A").content.decode()
    assert len(event_ids(html)) == 50


def test_the_search_and_count_are_bounded_by_the_index_not_the_table(network, many_events, auditor,
                                                                     django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        auditor.get("/audit/?action=CHECK_IN")
    sql = " ".join(q["sql"] for q in queries.captured_queries if "audit_event" in q["sql"])
    assert "LIMIT 51" in sql and "LIMIT 10001" in sql
    assert "OFFSET" not in sql
