"""Benchmark of the audit trail: insert throughput with sealing off and on, sealing and verifying.

    python bench/audit_trail.py [--writers 4] [--seconds 8] [--rounds 3] [--backlog 200000]

On a fresh scratch database (migrated), several writer processes insert events, one per
transaction as the services do, for a fixed time: into a bare table with no index or trigger
(the physical limit), into the trail with sealing off, and into the trail while a sealer runs
continuously. Then it times sealing and verifying a backlog of events. Prints one table and
writes the figures as JSON to bench/results/audit_trail.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SCRATCH = "pp_bench_audit"
COLUMNS = ("at, actor_type, actor_id, actor_role, office_id, action, target_type, target_id, ip, "
           "user_agent, request_id, details, source")
ROW = ("now(), 'staff', %s, 'OFFICER', 1, 'CHECK_IN', 'booking', %s, '10.0.0.1', 'bench/1', "
       "%s, %s, 'app'")


def scratch_url() -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{SCRATCH}"))


def admin_url() -> str:
    return urlunsplit(urlsplit(scratch_url())._replace(path="/postgres"))


def writer(table: str, seconds: float, worker: int, counter) -> None:
    """Insert one event per transaction until time is up; add the count to ``counter``."""
    done = 0
    with psycopg.connect(scratch_url(), autocommit=True) as conn:
        sql = f"INSERT INTO {table} ({COLUMNS}) VALUES ({ROW})"  # noqa: S608  (constant table)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            conn.execute(sql, [f"19850101201001100{worker}", f"BK-{worker}-{done}",
                               f"req-{done}", '{"step": "counter"}'])
            done += 1
    with counter.get_lock():
        counter.value += done


def sealer(stop) -> None:
    """Seal every second: sixty times as often as the beat schedule, to show the cost."""
    import django

    django.setup()
    from audit.sealing import seal_pending

    while not stop.is_set():
        seal_pending(max_blocks=50)
        stop.wait(1.0)


def insert_rate(table: str, writers: int, seconds: float, *, sealing: bool) -> float:
    counter = multiprocessing.Value("q", 0)
    stop = multiprocessing.Event()
    sealing_process = multiprocessing.Process(target=sealer, args=(stop,)) if sealing else None
    if sealing_process:
        sealing_process.start()
    processes = [multiprocessing.Process(target=writer, args=(table, seconds, n, counter))
                 for n in range(writers)]
    started = time.monotonic()
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    elapsed = time.monotonic() - started
    if sealing_process:
        stop.set()
        sealing_process.join()
    if not counter.value:
        raise SystemExit(f"the writers into {table} inserted nothing: see the errors above")
    return counter.value / elapsed


def backlog(events: int) -> None:
    with psycopg.connect(scratch_url(), autocommit=True) as conn:
        conn.execute(f"""INSERT INTO audit_event ({COLUMNS})
                         SELECT now(), 'staff', '198501012010011001', 'OFFICER', 1, 'CHECK_IN',
                                'booking', 'BK-' || n, '10.0.0.1', 'bench/1', 'req-' || n,
                                '{{"step": "counter"}}', 'app'
                         FROM generate_series(1, %s) AS n""", [events])  # noqa: S608


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--backlog", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()

    with psycopg.connect(admin_url(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {SCRATCH}")
    os.environ["DATABASE_URL"] = scratch_url()
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passport_portal.settings.local")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.db import connection

    connection.close()  # forked children open their own
    with psycopg.connect(scratch_url(), autocommit=True) as conn:
        conn.execute("CREATE TABLE bench_bare (LIKE audit_event INCLUDING DEFAULTS INCLUDING IDENTITY)")

    figures = {"writers": options.writers, "seconds": options.seconds, "cores": os.cpu_count()}
    from audit.sealing import seal_pending
    from audit.verification import verify_trail

    # The machine is shared: the three cases alternate for several rounds; medians are kept.
    rates: dict[str, list[float]] = {"bare": [], "off": [], "on": []}
    for _ in range(options.rounds):
        rates["bare"].append(insert_rate("bench_bare", options.writers, options.seconds,
                                         sealing=False))
        rates["off"].append(insert_rate("audit_event", options.writers, options.seconds,
                                        sealing=False))
        seal_pending(max_blocks=10**6)
        connection.close()
        rates["on"].append(insert_rate("audit_event", options.writers, options.seconds,
                                       sealing=True))
    figures["rounds"] = rates
    figures["bare_inserts_per_s"] = statistics.median(rates["bare"])
    figures["trail_inserts_per_s_sealing_off"] = statistics.median(rates["off"])
    figures["trail_inserts_per_s_sealing_on"] = statistics.median(rates["on"])

    seal_pending(max_blocks=10**6)
    backlog(options.backlog)
    started = time.monotonic()
    sealed = seal_pending(max_blocks=10**6)
    figures["sealing_events_per_s"] = sealed.events / (time.monotonic() - started)
    started = time.monotonic()
    report = verify_trail()
    figures["verify_events_per_s"] = report.sealed_events / (time.monotonic() - started)
    figures["verified_events"] = report.sealed_events
    figures["verify_ok"] = report.ok
    connection.close()

    rows = [
        ("raw INSERT, bare table (no index, no trigger)", figures["bare_inserts_per_s"]),
        ("audit event INSERT, sealing off", figures["trail_inserts_per_s_sealing_off"]),
        ("audit event INSERT, sealing every second", figures["trail_inserts_per_s_sealing_on"]),
        (f"sealing a backlog of {options.backlog:,} events", figures["sealing_events_per_s"]),
        (f"verifying {report.sealed_events:,} sealed events", figures["verify_events_per_s"]),
    ]
    print(f"{options.writers} writers, {options.seconds:g} s per case, median of {options.rounds} "
          f"rounds, {os.cpu_count()} cores")
    print(f"| {'what':<48} | {'events/s':>10} |")
    print(f"|{'-' * 50}|{'-' * 12}:|")
    for label, rate in rows:
        print(f"| {label:<48} | {rate:>10,.0f} |")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "audit_trail.json").write_text(json.dumps(figures, indent=2) + "\n")
    with psycopg.connect(admin_url(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    main()
