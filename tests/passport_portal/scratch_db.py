"""A throwaway database on the test server, for tests that migrate, dump or restore whole databases."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _server_params() -> dict:
    db = settings.DATABASES["default"]
    params = {"host": db.get("HOST") or None, "port": db.get("PORT") or None,
              "user": db.get("USER") or None, "password": db.get("PASSWORD") or None}
    params.update({k: v for k, v in db.get("OPTIONS", {}).items() if k in {"host", "port"}})
    return {k: v for k, v in params.items() if v}


def database_url(name: str) -> str:
    params = _server_params()
    auth = quote(params.get("user", "postgres"), safe="")
    if params.get("password"):
        auth += ":" + quote(params["password"], safe="")
    host = quote(str(params.get("host", "")), safe="")
    port = f":{params['port']}" if params.get("port") else ""
    return f"postgres://{auth}@{host}{port}/{name}"


@contextlib.contextmanager
def scratch_database(prefix: str = "scratch"):
    """Create an empty database, yield its name, drop it afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **_server_params()) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **_server_params()) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(database: str, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run manage.py against ``database`` with the test settings; fail loudly on error."""
    env = {**os.environ, "DATABASE_URL": database_url(database),
           "DJANGO_SETTINGS_MODULE": "passport_portal.settings.test"}
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def connect(database: str) -> psycopg.Connection:
    return psycopg.connect(dbname=database, autocommit=True, **_server_params())
