import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, env_extra):
    env = {**os.environ, **env_extra}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_production_check_deploy_is_clean():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra={
        "DJANGO_SETTINGS_MODULE": "passport_portal.settings.production",
        "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-0123456789",
        "ALLOWED_HOSTS": "portal.example.invalid",
    })
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret():
    env = {"DJANGO_SETTINGS_MODULE": "passport_portal.settings.production", "ALLOWED_HOSTS": "x"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={k: v for k, v in {**os.environ, **env}.items() if k != "SECRET_KEY"},
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("value", ["", None])
def test_debug_is_off_unless_asked(value):
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    if value is not None:
        env["DEBUG"] = value
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={
        **env, "DJANGO_SETTINGS_MODULE": "passport_portal.settings.local"}, capture_output=True, text=True,
        timeout=120)
    assert result.stdout.strip() == "False", result.stderr
