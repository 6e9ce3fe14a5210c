"""A finding's page: summary, evidence figures, the baseline, and the events, bookings and
officers behind it linked to their timelines (and still rendering while those pages are absent)."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings

from audit.detection.models import Finding
from audit.detection.pages.common import url_or_none
from audit.models import Event
from bookings.models import Booking
from offices.models import StaffProfile
from tests.audit.detection.findings import finding_about
from tests.audit.detection.history import MONDAY

NIK = "3174014501900001"


def _with_history(network, history):
    """A finding resting on two served bookings and their events, naming the officer who served them."""
    officer = history.staff()[0]
    refs = [history.booking(history.account(), MONDAY), history.booking(history.account(), MONDAY)]
    for ref in refs:
        history.serve(ref, MONDAY, officer)
    history.event(f"{MONDAY}T09:00:00+07:00", {"staff": officer}, "OVERRIDE", booking=refs[0],
                  details={"reason": f"NIK {NIK} at the counter"})
    history.load()
    finding = finding_about(nip=officer, office=network.kanim_a, detector="four_eyes_and_skips", score=0.75)
    events = list(Event.objects.filter(target_id__in=refs).values_list("id", flat=True))
    Finding.objects.filter(pk=finding.pk).update(
        booking_refs=refs, event_ids=events, summary="Approved own files 12 times in a week.",
        evidence={"own_approvals": 12, "share": 0.4, "by_day": {"Mon": 5, "Tue": 7},
                  "baseline": "irregular approvals by the other approvers at the office"})
    finding.refresh_from_db()
    return finding, officer, refs


def test_the_page_shows_the_summary_the_figures_and_the_baseline(network, as_user, history):
    finding, _officer, _refs = _with_history(network, history)
    response = as_user(network.auditor).get(f"/findings/{finding.pk}/")
    html = response.content.decode()
    assert "Approved own files 12 times in a week." in html
    # PostgreSQL keeps a JSON object's keys in its own order.
    assert set(response.context["figures"]) == {("own approvals", "12"), ("share", "0.4"),
                                                ("by day", "Mon: 5, Tue: 7")}
    assert response.context["baseline"] == [("", "irregular approvals by the other approvers at the office")]


def test_bookings_events_and_officers_link_to_their_timelines(network, as_user, history):
    finding, officer, refs = _with_history(network, history)
    html = as_user(network.auditor).get(f"/findings/{finding.pk}/").content.decode()
    staff = StaffProfile.objects.get(nip=officer)
    for code in Booking.objects.filter(ref__in=refs).values_list("code", flat=True):
        assert f'href="/audit/bookings/{code}/"' in html
    assert f'href="/audit/staff/{staff.pk}/"' in html
    assert f'href="/findings/officers/{officer}/"' in html
    assert html.count("OVERRIDE") == 1 and html.count("CHECK_IN") == 2


def test_times_of_events_are_in_the_office_zone_with_its_label(network, as_user, history):
    finding, _officer, _refs = _with_history(network, history)
    html = as_user(network.auditor).get(f"/findings/{finding.pk}/").content.decode()
    assert "08:30 WIB" in html  # the first check-in, 08:30 in Jakarta


def test_no_nik_reaches_the_page(network, as_user, history):
    finding, _officer, _refs = _with_history(network, history)
    response = as_user(network.auditor).get(f"/findings/{finding.pk}/")
    override = next(row["event"] for row in response.context["events"] if row["event"].action == "OVERRIDE")
    assert NIK not in str(override.details) and NIK not in response.content.decode()


@override_settings(ROOT_URLCONF="tests.pages.detection.urls_without_audit_pages")
def test_the_page_renders_without_links_while_the_timeline_pages_do_not_exist(network, as_user, history):
    finding, _officer, _refs = _with_history(network, history)
    assert url_or_none("audit:booking-timeline", "X") is None
    response = as_user(network.auditor).get(f"/findings/{finding.pk}/")
    html = response.content.decode()
    assert response.status_code == 200 and "/audit/bookings/" not in html and "/audit/staff/" not in html


def test_the_page_costs_the_same_queries_for_a_small_or_a_large_finding(
        network, as_user, history, django_assert_max_num_queries):
    finding, _officer, refs = _with_history(network, history)
    client = as_user(network.auditor)
    with django_assert_max_num_queries(16):
        assert client.get(f"/findings/{finding.pk}/").status_code == 200
    more = [history.booking(history.account(), MONDAY + dt.timedelta(days=1)) for _ in range(40)]
    history.load()
    events = list(Event.objects.filter(target_id__in=[*refs, *more]).values_list("id", flat=True))
    Finding.objects.filter(pk=finding.pk).update(booking_refs=[*refs, *more], event_ids=events)
    with django_assert_max_num_queries(16):
        response = client.get(f"/findings/{finding.pk}/")
    assert len(response.context["bookings"]) == 42
