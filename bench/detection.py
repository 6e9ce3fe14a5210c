"""Benchmark of detection: a full run and an incremental run, beside one plain scan of the trail.

    python bench/detection.py [--bookings 1000000] [--new-bookings 10000] [--workers 2] [--keep | --reuse]

Makes a scratch database (``pp_bench_detection``), migrates it, generates a scenario of
``--bookings`` bookings (about ten events each: 1,000,000 bookings is about 10 million events)
with ``generate_scenario`` and imports it. Then, in one process with a fresh connection for
each step, it times:

1. one plain aggregate scan of the event table (``count(*)`` per action): reading the trail once
   is the floor under any detector that reads it all;
2. a full run over the whole trail, as the portal runs it: dispatched to a Celery worker of
   ``--workers`` processes (the broker of ``CELERY_BROKER_URL``, purged first), which takes the
   network part and then the region parts side by side, timed until the run is finished;
   ``--workers 0`` works every part in this process instead (``run_detection --full``), one after
   another, with the time of each detector;
3. an incremental run after importing ``--new-bookings`` more bookings (about ten times as many
   new events) from a later scenario window, the same way.

``--reuse`` skips building: it runs on the database an earlier ``--keep`` left (migrated to
the current code), and the incremental run reads a further window, imported after the full run
as in a fresh build, starting the day after the trail's last event (each reuse adds one).

Samples the peak private memory of this process and of every PostgreSQL process throughout
(bench/memory.py). Prints one table and writes the figures as JSON to bench/results/detection.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from memory import PeakMemory

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SCRATCH = "pp_bench_detection"
HOST, PORT, USER = "127.0.0.1", 5432, "postgres"


def psql(database: str, sql: str) -> None:
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", HOST, "-U", USER, "-d", database,
                    "-c", sql], check=True, stdout=subprocess.DEVNULL)


def scratch_url() -> str:
    return f"postgres://{USER}@{HOST}:{PORT}/{SCRATCH}"


class DetectorTimes(logging.Handler):
    """Collects the seconds each detector took from the run's log lines."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.seconds: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg.startswith("detector "):
            name, _found, seconds = record.args
            self.seconds[name] = self.seconds.get(name, 0.0) + seconds


def scenario(folder: Path, *, bookings: int, start: dt.date, seed: int) -> Path:
    from audit.detection.scenario import ScenarioParameters, scenario_generate

    path = folder / f"scenario-{seed}.jsonl"
    with path.open("wb") as output:
        scenario_generate(ScenarioParameters(bookings=bookings, seed=seed, start=start), output=output)
    return path


def timed(step):
    started = time.perf_counter()
    value = step()
    return time.perf_counter() - started, value


def start_worker(count: int) -> subprocess.Popen:
    """A Celery worker of ``count`` processes on the scratch database, once it answers a ping."""
    env = {**os.environ, "DATABASE_URL": scratch_url(), "LOG_LEVEL": "WARNING"}
    celery = [sys.executable, "-m", "celery", "-A", "passport_portal"]
    subprocess.run([*celery, "purge", "-f"], check=True, env=env, cwd=ROOT, capture_output=True)
    worker = subprocess.Popen([*celery, "worker", "-P", "prefork", "--concurrency", str(count),
                               "--loglevel", "WARNING", "-n", "bench-detection@%h"], env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ping = subprocess.run([*celery, "inspect", "ping", "-t", "2"], env=env, cwd=ROOT, capture_output=True,
                              text=True)
        if "bench-detection@" in ping.stdout:
            return worker
        if worker.poll() is not None:
            break
    worker.terminate()
    raise SystemExit("the Celery worker did not start")


def run_on_workers(actor, kind: str, *, everything: bool = False):
    """Start a run, dispatch it to the workers and wait for it to end; None when none started."""
    from audit.detection.choices import RunStatus
    from audit.detection.models import DetectionRun
    from audit.detection.services import runs
    from audit.detection.tasks import dispatch

    run = runs.detection_run_start(actor=actor, kind=kind, everything=everything)
    if run is None:
        return None
    if not dispatch(run):
        raise SystemExit("the run could not be dispatched: is the broker up?")
    while run.status == RunStatus.RUNNING:
        time.sleep(0.2)
        run = DetectionRun.objects.get(pk=run.pk)
    if run.status != RunStatus.SUCCEEDED:
        raise SystemExit(f"run {run.pk} {run.status}: {run.error}")
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bookings", type=int, default=1_000_000)
    parser.add_argument("--new-bookings", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2,
                        help="Processes of the Celery worker that runs detection (0: in this process).")
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database.")
    parser.add_argument("--reuse", action="store_true",
                        help="Run on the database a --keep run left instead of building one (kept too).")
    args = parser.parse_args()
    args.keep = args.keep or args.reuse

    if not args.reuse:
        psql("postgres", f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
        psql("postgres", f"CREATE DATABASE {SCRATCH}")
    os.environ["DATABASE_URL"] = scratch_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passport_portal.settings.local")
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"],
                   check=True, stderr=subprocess.DEVNULL)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from audit.detection.foreground import run_in_foreground
    from audit.detection.models import DetectionRun
    from audit.records import records_import
    from offices.access import SystemActor

    actor = SystemActor("bench")
    times = DetectorTimes()
    logging.getLogger("audit.detection.services.runs").addHandler(times)
    logging.getLogger("audit.detection.services.runs").setLevel(logging.INFO)
    figures: dict = {"bookings": args.bookings, "workers": args.workers}

    def run(kind: str, *, everything: bool = False):
        if args.workers:
            return run_on_workers(actor, kind, everything=everything)
        return run_in_foreground(actor=actor, kind=kind, everything=everything, progress=False)

    peak = PeakMemory()
    with tempfile.TemporaryDirectory() as folder, peak:
        first = dt.date(2017, 11, 6)
        later_start, later_seed = first + dt.timedelta(days=120), 2
        if args.reuse:
            with connection.cursor() as cursor:
                cursor.execute("SELECT max(at)::date + 1, count(*) FROM audit_event")
                later_start, events = cursor.fetchone()
            if not events:
                raise SystemExit(f"{SCRATCH} holds no events: build it first with --keep")
            later_seed = 2 + DetectionRun.objects.filter(kind="INCREMENTAL").count()
            figures["import_seconds"] = None
        else:
            path = scenario(Path(folder), bookings=args.bookings, start=first, seed=1)
            seconds, _report = timed(lambda: records_import(actor=actor, paths=[str(path)], progress=False))
            figures["import_seconds"] = seconds
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("SELECT count(*) FROM audit_event")
            figures["events"] = cursor.fetchone()[0]

            def scan():
                cursor.execute("SELECT action, count(*) FROM audit_event GROUP BY action")
                return cursor.fetchall()

            figures["scan_seconds"], _rows = timed(scan)
        worker = start_worker(args.workers) if args.workers else None
        try:
            figures["full_seconds"], full = timed(lambda: run("FULL", everything=True))
            figures["full_findings"] = full.findings_total
            figures["full_detectors"] = dict(times.seconds)
            times.seconds.clear()
            later = scenario(Path(folder), bookings=args.new_bookings, start=later_start, seed=later_seed)
            records_import(actor=actor, paths=[str(later)], progress=False)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE audit_event, bookings_booking, bookings_account")
                cursor.execute("SELECT count(*) FROM audit_event WHERE id > %s", [full.through_event_id])
                figures["new_events"] = cursor.fetchone()[0]
            figures["incremental_seconds"], incremental = timed(lambda: run("INCREMENTAL"))
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=60)
        figures["incremental_parts"] = len(incremental.parts) if incremental else 0
        figures["incremental_detectors"] = dict(times.seconds)
    # The largest private memory of any one process: this one (the detectors' Python side) or a
    # database backend (their SQL side).
    figures["peak_private_mib"] = peak.mib
    if not args.keep:
        connection.close()
        psql("postgres", f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")

    print(f"{'step':<34}{'events':>12}{'seconds':>10}{'events/s':>14}")
    for label, events, seconds in (
        ("plain scan (count per action)", figures["events"], figures["scan_seconds"]),
        ("full run, all detectors", figures["events"], figures["full_seconds"]),
        ("incremental run", figures["new_events"], figures["incremental_seconds"]),
    ):
        print(f"{label:<34}{events:>12,}{seconds:>10.1f}{events / seconds:>14,.0f}")
    print(f"peak private memory: this process {peak.mib['portal']:,.0f} MiB, "
          f"largest PostgreSQL process {peak.mib['postgres']:,.0f} MiB")
    print(f"runs on {f'a Celery worker of {args.workers} processes' if args.workers else 'this process'}; "
          "full run by detector (this process only): " + ", ".join(
        f"{name} {seconds:.1f}s" for name, seconds in sorted(figures["full_detectors"].items())))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "detection.json").write_text(json.dumps(figures, indent=2, default=str) + "\n")


if __name__ == "__main__":
    main()
