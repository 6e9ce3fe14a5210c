"""The runner: every kind in order, evidence kept while a finding names it, safe to run again."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from audit.actions import Action
from audit.detection.models import Case, Finding
from audit.detection.retention import KINDS, retention_apply
from audit.models import Event
from bookings.models import Account, Booking
from tests.bookings import builders

from .conftest import before_cutoff, case_about, finding_naming, idle_since, last_seen, old_cancelled_booking


def totals(results) -> dict[str, dict[str, int]]:
    return {result.kind: result.counts for result in results}


def test_a_booking_and_an_account_named_by_a_finding_are_kept_and_the_others_go(network):
    named_user = builders.account_user("named@example.invalid")
    other_user = builders.account_user("other@example.invalid")
    named = old_cancelled_booking(network, named_user, serial=1)
    other = old_cancelled_booking(network, other_user, serial=2)
    named_account = idle_since(named_user, before_cutoff(days=30))
    idle_since(other_user, before_cutoff(days=30))
    finding_naming(bookings=[named.ref], accounts=[named_account.ref], office=network.kanim_a)

    results = totals(retention_apply())

    assert results["bookings"] == {"bookings": 1, "ballot_entries": 0}
    assert results["accounts"] == {"accounts": 1, "logins": 1, "sign_in_records": 0}
    assert Booking.objects.get(pk=named.pk).anonymised_at is None
    assert Booking.objects.get(pk=named.pk).nik
    assert Booking.objects.get(pk=other.pk).anonymised_at is not None
    assert Account.objects.filter(pk=named_account.pk).exists()
    assert not Account.objects.filter(user_id=other_user.pk).exists()


def test_an_open_case_keeps_its_evidence_however_old(network):
    user = builders.account_user("ring@example.invalid")
    booking = old_cancelled_booking(network, user, serial=3)
    finding = finding_naming(bookings=[booking.ref], office=network.kanim_a)
    case_about(network, finding)
    last_seen(finding, before_cutoff(days=900))
    retention_apply()
    assert Finding.objects.filter(pk=finding.pk).exists()
    assert Booking.objects.get(pk=booking.pk).anonymised_at is None


def test_one_run_releases_evidence_in_order_case_then_finding_then_booking_then_account(network):
    user = builders.account_user("closed@example.invalid")
    booking = old_cancelled_booking(network, user, serial=4)
    account = idle_since(user, before_cutoff(days=30))
    finding = finding_naming(bookings=[booking.ref], accounts=[account.ref], office=network.kanim_a)
    case = case_about(network, finding, closed_at=before_cutoff(days=10))
    last_seen(finding, before_cutoff(days=20))

    results = totals(retention_apply())

    assert list(results) == list(KINDS)
    assert results["cases"]["cases"] == results["findings"]["findings"] == 1
    assert not Case.objects.filter(pk=case.pk).exists() and not Finding.objects.filter(pk=finding.pk).exists()
    assert Booking.objects.get(pk=booking.pk).anonymised_at is not None
    assert not Account.objects.filter(pk=account.pk).exists()


def test_a_second_run_takes_nothing_and_records_nothing(network):
    user = builders.account_user("twice@example.invalid")
    old_cancelled_booking(network, user, serial=5)
    idle_since(user, before_cutoff(days=30))
    first = totals(retention_apply())
    assert first["bookings"]["bookings"] == first["accounts"]["accounts"] == 1
    events = Event.objects.filter(action=Action.RETENTION_APPLY).count()
    second = retention_apply()
    assert all(result.total == 0 and result.batches == 0 for result in second)
    assert Event.objects.filter(action=Action.RETENTION_APPLY).count() == events


def test_only_the_kinds_asked_for_run(network):
    user = builders.account_user("only@example.invalid")
    booking = old_cancelled_booking(network, user, serial=6)
    results = retention_apply(kinds=["accounts"])
    assert [result.kind for result in results] == ["accounts"]
    assert Booking.objects.get(pk=booking.pk).anonymised_at is None


def test_an_unknown_kind_is_refused(network):
    with pytest.raises(ValueError, match="unknown retention kind"):
        retention_apply(kinds=["bookings", "passports"])


@pytest.mark.parametrize(("name", "value", "message"), [
    ("BOOKING_RETENTION_DAYS", -1, "BOOKING_RETENTION_DAYS must be 0 (keep forever) or a positive number"),
    ("CASE_RETENTION_DAYS", -30, "CASE_RETENTION_DAYS must be 0"),
    ("FINDING_RETENTION_DAYS", 30, "FINDING_RETENTION_DAYS (30) must be 0 or at least DETECTION_FULL_WINDOW_DAYS"),
])
def test_bad_settings_stop_the_run_before_anything_changes(network, settings, name, value, message):
    user = builders.account_user("bad@example.invalid")
    booking = old_cancelled_booking(network, user, serial=7)
    setattr(settings, name, value)
    with pytest.raises(ImproperlyConfigured, match=message.replace("(", r"\(").replace(")", r"\)")):
        retention_apply()
    assert Booking.objects.get(pk=booking.pk).anonymised_at is None
