"""Retention periods: read from the environment, a bad value stops the process at startup."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import environ
import pytest
from django.core.exceptions import ImproperlyConfigured

from passport_portal.retention_settings import retention_days, retention_problems

ROOT = Path(__file__).resolve().parents[2]
FINE = {"BOOKING_RETENTION_DAYS": 730, "ACCOUNT_RETENTION_DAYS": 730, "FINDING_RETENTION_DAYS": 365,
        "CASE_RETENTION_DAYS": 1825, "DETECTION_FULL_WINDOW_DAYS": 90}


def _check(**env_extra) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "passport_portal.settings.local", **env_extra}
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("value", "message"), [
    ("-1", "BOOKING_RETENTION_DAYS must be 0 (keep forever) or a positive number of days, not -1."),
    ("two years", "BOOKING_RETENTION_DAYS must be a whole number of days (0 keeps forever), not 'two years'."),
])
def test_a_bad_period_stops_the_portal_at_startup_naming_the_variable(value, message):
    result = _check(BOOKING_RETENTION_DAYS=value)
    assert result.returncode != 0
    assert message in result.stderr


def test_the_defaults_keep_data_a_bounded_time_and_at_least_the_detection_window(settings):
    assert (settings.BOOKING_RETENTION_DAYS, settings.ACCOUNT_RETENTION_DAYS,
            settings.FINDING_RETENTION_DAYS, settings.CASE_RETENTION_DAYS) == (730, 730, 365, 1825)
    assert retention_problems(settings) == []


def test_zero_keeps_forever_and_is_accepted(monkeypatch):
    monkeypatch.setenv("CASE_RETENTION_DAYS", "0")
    assert retention_days(environ.Env(), "CASE_RETENTION_DAYS", default=1825) == 0


def test_an_unset_variable_takes_the_default(monkeypatch):
    monkeypatch.delenv("CASE_RETENTION_DAYS", raising=False)
    assert retention_days(environ.Env(), "CASE_RETENTION_DAYS", default=1825) == 1825


def test_a_negative_value_is_refused_by_the_reader(monkeypatch):
    monkeypatch.setenv("ACCOUNT_RETENTION_DAYS", "-3")
    with pytest.raises(ImproperlyConfigured, match="ACCOUNT_RETENTION_DAYS must be 0"):
        retention_days(environ.Env(), "ACCOUNT_RETENTION_DAYS", default=730)


def test_a_period_shorter_than_the_detection_window_is_a_problem_but_zero_is_not():
    assert retention_problems(SimpleNamespace(**{**FINE, "FINDING_RETENTION_DAYS": 0})) == []
    assert retention_problems(SimpleNamespace(**{**FINE, "BOOKING_RETENTION_DAYS": 60})) == [
        "BOOKING_RETENTION_DAYS (60) must be 0 or at least DETECTION_FULL_WINDOW_DAYS (90): "
        "detection reads that far back."]
    # Cases are not read by detection: any positive period will do.
    assert retention_problems(SimpleNamespace(**{**FINE, "CASE_RETENTION_DAYS": 30})) == []
