"""The embedded PostgreSQL recovers from an unclean stop (a killed server) on its next start."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

START_AND_WRITE = """
import os, sys, psycopg
from passport_portal.embedded_db import embedded_database_url
url = embedded_database_url(__import__("pathlib").Path(sys.argv[1]), "crashtest")
with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
    conn.execute("CREATE TABLE IF NOT EXISTS survivor (note text)")
    conn.execute("INSERT INTO survivor VALUES ('committed before the crash')")
print(open(os.path.join(sys.argv[1], "postmaster.pid")).readline().strip(), flush=True)
os._exit(0)  # leave without the clean stop, as a crash would
"""

START_AND_READ = """
import sys, psycopg
from passport_portal.embedded_db import embedded_database_url
url = embedded_database_url(__import__("pathlib").Path(sys.argv[1]), "crashtest")
with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
    print(conn.execute("SELECT note FROM survivor").fetchone()[0])
"""


def _python(code: str, data_dir: Path) -> str:
    result = subprocess.run([sys.executable, "-c", code, str(data_dir)], cwd=ROOT, capture_output=True,
                            text=True, timeout=180, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_embedded_server_recovers_after_being_killed(tmp_path):
    data_dir = tmp_path / "pgdata"
    pid = int(_python(START_AND_WRITE, data_dir))
    os.kill(pid, signal.SIGKILL)
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    assert (data_dir / "postmaster.pid").exists()  # the crash left its lock file behind
    assert _python(START_AND_READ, data_dir) == "committed before the crash"
    log = (data_dir / "log").read_text()
    assert "not properly shut down" in log or "automatic recovery" in log
    # The crashed process is forgotten, so the last one out stopped the server cleanly.
    assert not (data_dir / "postmaster.pid").exists()
    assert "database system is shut down" in (data_dir / "log").read_text()
