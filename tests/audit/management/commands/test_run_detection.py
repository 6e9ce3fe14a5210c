"""``run_detection``: the same run as the workers', in the foreground, printing what it found."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from audit.detection.models import DetectionRun
from tests.audit.detection.history import MONDAY, History


def _bot(db_history: History) -> str:
    bot = db_history.account()
    created = dt.datetime.combine(MONDAY - dt.timedelta(days=5), dt.time(7, 0), tzinfo=dt.UTC)
    for k in range(15):
        db_history.booking(bot, MONDAY, status="NO_SHOW", created=(created + dt.timedelta(minutes=k)).isoformat())
    db_history.load()
    return bot


def test_a_full_run_prints_counts_and_findings(db):
    _bot(History())
    out = StringIO()
    call_command("run_detection", "--full", "--no-progress", stdout=out)
    text = out.getvalue()
    run = DetectionRun.objects.get()
    assert f"run {run.pk} (FULL)" in text and "bots" in text
    assert "BOT" in text and "booking attempts" in text


def test_an_incremental_run_after_a_full_one_has_nothing_new(db):
    _bot(History())
    call_command("run_detection", "--full", "--no-progress", stdout=StringIO())
    out = StringIO()
    call_command("run_detection", "--no-progress", stdout=out)
    assert "No run started" in out.getvalue()


def test_since_covers_from_the_given_time(db):
    _bot(History())
    call_command("run_detection", "--since", "2025-02-01T00:00+07:00", "--no-progress", stdout=StringIO())
    assert DetectionRun.objects.get().window_from == dt.datetime(2025, 1, 31, 17, tzinfo=dt.UTC)


def test_since_without_a_zone_is_refused(db):
    with pytest.raises(CommandError, match="zone offset"):
        call_command("run_detection", "--since", "2025-02-01T00:00", stdout=StringIO())
