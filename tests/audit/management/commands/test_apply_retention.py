"""apply_retention: what it would take, what it took, per kind; refuses bad settings and options."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from audit.actions import Action
from audit.models import Event
from audit.retention import RETENTION_LOCK_KEY
from bookings.models import Booking
from tests.audit.detection.retention.conftest import (  # noqa: F401  (the settings fixture)
    cutoff,
    old_cancelled_booking,
    retention_settings,
)
from tests.bookings import builders


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("apply_retention", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def old_booking(network) -> Booking:
    return old_cancelled_booking(network, builders.account_user("cmd@example.invalid"), serial=1)


def test_a_dry_run_says_what_each_kind_would_take_and_changes_nothing(old_booking):
    out, _err = run("--dry-run")
    assert "bookings: would take 1 bookings, 0 ballot_entries" in out
    assert f"(finished before {cutoff().isoformat()})" in out
    assert "cases: would take 0 cases" in out and "findings: would take 0 findings" in out
    assert Booking.objects.get(pk=old_booking.pk).anonymised_at is None
    assert not Event.objects.filter(action=Action.RETENTION_APPLY).exists()


def test_a_run_of_one_kind_takes_it_with_a_progress_bar(old_booking):
    out, err = run("--kind", "bookings")
    assert out.strip() == (f"bookings: took 1 bookings, 0 ballot_entries in 1 batch(es) "
                           f"(finished before {cutoff().isoformat()}).")
    assert "bookings" in err and "1/1" in err
    assert Booking.objects.get(pk=old_booking.pk).anonymised_at is not None


def test_a_kind_kept_forever_is_reported(network, settings):
    settings.CASE_RETENTION_DAYS = 0
    out, _err = run("--kind", "cases", "--no-progress")
    assert out.strip() == "cases: nothing done (kept forever)."


def test_a_negative_period_is_refused_with_its_name(network, settings):
    settings.ACCOUNT_RETENTION_DAYS = -5
    with pytest.raises(CommandError, match=re.escape("ACCOUNT_RETENTION_DAYS must be 0 (keep forever) or a positive number of days, not -5.")):
        run("--dry-run")


def test_an_unknown_kind_and_a_bad_batch_size_are_refused(network):
    with pytest.raises(CommandError, match="invalid choice: 'passports'"):
        run("--kind", "passports")
    with pytest.raises(CommandError, match="--batch-size must be at least 1, not 0"):
        run("--batch-size", "0")


def test_a_run_beside_another_stops_and_says_so(old_booking):
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [RETENTION_LOCK_KEY])
        out, _err = run("--kind", "bookings", "--no-progress")
    finally:
        other.close()
    assert "bookings: nothing done (locked out: another retention run is at work)." in out
    assert Booking.objects.get(pk=old_booking.pk).anonymised_at is None
