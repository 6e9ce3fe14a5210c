"""Stampede benchmark: hundreds of clients booking one office-day at once, through HTTP.

    python bench/booking_stampede.py [--clients 200] [--attempts 10000] [--workers 2] [--threads 4]
                                     [--rate ATTEMPTS_PER_SECOND]

Makes a scratch database, registers one applicant account per client (with an API token),
starts the portal under a production server (gunicorn's gthread workers, or with
``--server granian`` Granian's WSGI workers; workers × threads database connections,
the small pool), and fires the attempts from ``--clients`` threads, each on its own
keep-alive connection, at one office-day whose capacity is far below the demand. Then it
checks the database: successes, places sold per slot against capacity (overbooked must be
0), and measures with pgbench the database's own rate for the same conditional UPDATE on
one hot row. Prints one table and writes the figures to bench/results/booking_stampede.json.

By default the clients fire as fast as they can (a closed loop: with 200 clients waiting on
each other, mean latency is 200 / throughput by Little's law). ``--rate`` offers a fixed
load instead and measures each attempt's latency from when it was due.

Rate limits are lifted for the run (every client comes from 127.0.0.1): this measures the
booking path itself; the limits are exercised by the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from machine import python_reference_ms

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SCRATCH = "pp_bench_bookings"
HOST, PORT_DB, USER = "127.0.0.1", 5432, "postgres"
OFFICE = "BENCH-01"
DAY_CAPACITY = 800  # 16 slots of 50; 10,000 attempts want far more
HOT_CAPACITY = 2_000_000_000
SERVERS = {"gunicorn": "gunicorn gthread", "granian": "granian wsgi"}
BENCH_PASSWORD = "bench-" + "password-long"  # scratch accounts only; they sign in with tokens


# Per slot of the bench office: counter, bookings actually held, capacity, and any excess.
SOLD = """
SELECT coalesce(sum(s.booked), 0), coalesce(sum(b.n), 0), coalesce(sum(s.capacity), 0),
       coalesce(sum(greatest(coalesce(b.n, 0) - s.capacity, 0)), 0)
FROM bookings_slot s JOIN offices_office o ON o.id = s.office_id AND o.code = 'BENCH-01'
LEFT JOIN (SELECT slot_id, count(*) n FROM bookings_booking WHERE status = 'BOOKED' GROUP BY slot_id) b
  ON b.slot_id = s.id
"""


def psql(database: str, sql: str) -> str:
    command = ["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", HOST, "-U", USER,
               "-d", database, "-c", sql]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def scratch_url() -> str:
    return f"postgres://{USER}@{HOST}:{PORT_DB}/{SCRATCH}"


def portal_env(database_url: str, *, cap: int) -> dict:
    """The portal's environment for a benchmark: its scratch database, every day on sale to
    anyone, rate limits lifted (every client is 127.0.0.1) and ``cap`` bookings per account."""
    return {**os.environ, "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "passport_portal.settings.local",
            "DEBUG": "False", "LOG_LEVEL": "ERROR", "DATABASE_CONN_MAX_AGE": "600",
            "BOOKING_RATE_PER_ACCOUNT": "1000000", "BOOKING_RATE_PER_DEVICE": "1000000",
            "BOOKING_RATE_PER_IP": "1000000", "BOOKING_WORKING_DAYS": "1,2,3,4,5,6,7",
            "BOOKING_RELEASE_TIME": "00:00", "BOOKING_DAYS_AHEAD": "14",
            "BOOKING_ACCOUNT_CAP": str(cap)}


def bench_env(args) -> dict:
    return portal_env(scratch_url(), cap=args.cap)


def accounts_with_tokens(clients: int, name: str) -> list[str]:
    """One applicant account per client (``<name><i>@example.invalid``, device ``<name>-dev-<i>``)
    and its API token; in a process where Django is set up."""
    from django.test.utils import override_settings
    from rest_framework.authtoken.models import Token

    from bookings.services import account_register
    from passport_portal.request_meta import RequestMeta

    tokens = []
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        for i in range(clients):
            account = account_register(email=f"{name}{i}@example.invalid", phone="081234567890",
                                       password=BENCH_PASSWORD, device=f"{name}-dev-{i}",
                                       meta=RequestMeta(ip="127.0.0.1"))
            tokens.append(Token.objects.create(user=account.user).key)
    return tokens


def child_setup(clients: int) -> None:
    """In a child process with the scratch database: migrate, make the office, accounts, tokens."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.management import call_command

    from bookings.models import Slot
    from bookings.services import slots_materialise
    from offices.access import SystemActor
    from offices.services import office_create, region_get_or_create

    call_command("migrate", verbosity=0)
    system = SystemActor("bench")
    region = region_get_or_create(code="31", name="DKI Jakarta")
    office = office_create(actor=system, code=OFFICE, name="Kanim Bench", type="KANIM", region=region,
                           timezone="Asia/Jakarta", daily_quota=DAY_CAPACITY)
    hot = office_create(actor=system, code="BENCH-HOT", name="Hot row", type="KANIM", region=region,
                        timezone="Asia/Jakarta", daily_quota=1)
    day = office.local_date() + dt.timedelta(days=3)
    slots_materialise(office=office, service_date=day)
    slots_materialise(office=hot, service_date=day)
    hot_slot = Slot.objects.filter(office=hot, service_date=day).first()
    Slot.objects.filter(pk=hot_slot.pk).update(capacity=HOT_CAPACITY)
    tokens = accounts_with_tokens(clients, "bench")
    slots = [s.strftime("%H:%M") for s in Slot.objects.filter(office=office, service_date=day)
             .order_by("starts_at").values_list("starts_at", flat=True)]
    print(json.dumps({"tokens": tokens, "day": day.isoformat(), "slots": slots, "hot_slot": hot_slot.pk}))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(args, port: int) -> subprocess.Popen:
    if args.server == "granian":
        # Rust parses HTTP and keeps the connections; each worker's threads run the WSGI app.
        command = [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1",
                   "--port", str(port), "--workers", str(args.workers),
                   "--blocking-threads", str(args.threads), "--backlog", "2048", "--no-ws",
                   "--log-level", "warning", "passport_portal.wsgi:application"]
    else:
        command = [sys.executable, "-m", "gunicorn", "passport_portal.wsgi", "--bind", f"127.0.0.1:{port}",
                   "--worker-class", "gthread", "--workers", str(args.workers),
                   "--threads", str(args.threads), "--keep-alive", "30", "--backlog", "2048",
                   "--log-level", "warning", "--preload"]
    return serving(subprocess.Popen(command, env=bench_env(args), cwd=ROOT), port, args.server)


def serving(server: subprocess.Popen, port: int, name: str) -> subprocess.Popen:
    """``server`` once it answers on ``port`` (within a minute), or exit saying why not."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"{name} exited with status {server.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/v1/my/bookings/")
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"{name} did not start")


def process_cpu_seconds(parent: int) -> float:
    """CPU time (user + system) of ``parent`` and its direct children, from /proc (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid == parent or ppid == parent:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def nik_body(serial: int, day: str, slots: list[str]) -> bytes:
    """A structurally valid, unique NIK per attempt: the birth date differs attempt by attempt."""
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=serial)
    nik = f"317401{birth:%d%m%y}{serial % 9999 + 1:04d}"
    return json.dumps({"office": OFFICE, "date": day, "slot": slots[serial % len(slots)], "service": "NEW",
                       "nik": nik, "name": f"Pemohon {serial}", "birth_date": birth.isoformat(),
                       "phone": "081234567890"}).encode()


def stampede(args, port: int, setup: dict) -> tuple[list[float], Counter, float]:
    attempts = iter(range(args.attempts))
    take = threading.Lock()
    record = threading.Lock()
    latencies: list[float] = []
    began: list[float] = []  # when each attempt started (was due, paced), from the clock's start
    statuses: Counter = Counter()
    # Paced mode (--rate): attempt n is due at t0 + n / rate, and its latency runs from when it
    # was due, so time spent waiting for a free client counts (no coordinated omission). The
    # clock starts when the last client has warmed its connection, not before: set earlier, the
    # warm-up would count as every early attempt's wait.
    t0 = [0.0]

    def clock_start() -> None:
        t0[0] = time.perf_counter() + 0.05

    barrier = threading.Barrier(args.clients + 1, action=clock_start)

    def client(index: int) -> None:
        token = setup["tokens"][index]
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json",
                   "X-Device-Id": f"bench-dev-{index}"}
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        # Open the keep-alive connection and warm its worker thread before the clock starts, as
        # returning applicants' browsers would have: the stampede measures booking, not connecting.
        connection.request("GET", "/api/v1/my/bookings/", headers=headers)
        connection.getresponse().read()
        barrier.wait()
        while True:
            with take:
                serial = next(attempts, None)
            if serial is None:
                break
            body = nik_body(serial, setup["day"], setup["slots"])
            due = None
            if args.rate:
                due = t0[0] + serial / args.rate
                time.sleep(max(0.0, due - time.perf_counter()))
            started = due or time.perf_counter()
            for _retry in range(3):
                try:
                    connection.request("POST", "/api/v1/my/bookings/", body=body, headers=headers)
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                    break
                except (http.client.HTTPException, OSError):
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    status = "connection error"
            elapsed = time.perf_counter() - started
            with record:
                latencies.append(elapsed)
                began.append(started - t0[0])
                statuses[status] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    cpu = time.process_time()
    for thread in threads:
        thread.join()
    stampede.client_cpu = time.process_time() - cpu
    stampede.began = began
    return latencies, statuses, time.perf_counter() - started


def p99_by_tenth(began: list[float], latencies: list[float]) -> list[float]:
    """The p99 latency of each tenth of the attempts, taken in the order they started.

    Shows where a tail comes from: the first seconds (the sales, a write each, and warming
    up) or the whole run.
    """
    ordered = [latency for _, latency in sorted(zip(began, latencies, strict=True))]
    tenth = max(len(ordered) // 10, 1)
    chunks = [sorted(ordered[i:i + tenth]) for i in range(0, tenth * 10, tenth) if ordered[i:i + tenth]]
    return [round(chunk[max(int(len(chunk) * 0.99) - 1, 0)] * 1000, 1) for chunk in chunks]


def pgbench_rate(hot_slot: int) -> float:
    """Transactions per second of the same conditional UPDATE on one hot row, 8 clients, 10 s.

    The row is a copy of the hot slot in a bare table of its own: the database's own rate for the
    statement. On ``bookings_slot`` itself every pgbench transaction would be a change made
    outside the application, and the audit backstop would write an event for each (the portal's
    sales record their own event and add none), so that figure would measure the backstop.
    """
    copy = ("DROP TABLE IF EXISTS bench_hot_slot; CREATE TABLE bench_hot_slot AS "
            "SELECT id, booked, capacity, closed FROM bookings_slot WHERE id = %d; "
            "ALTER TABLE bench_hot_slot ADD PRIMARY KEY (id)")
    psql(SCRATCH, copy % hot_slot)
    script = ("BEGIN;\nUPDATE bench_hot_slot SET booked = booked + 1 "
              f"WHERE id = {hot_slot} AND booked < capacity AND NOT closed RETURNING booked;\nCOMMIT;\n")
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as handle:
        handle.write(script)
    command = ["pgbench", "-n", "-f", handle.name, "-c", "8", "-j", "2", "-T", "10", "-h", HOST, "-U", USER,
               SCRATCH]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    os.unlink(handle.name)
    return float(re.search(r"tps = ([0-9.]+)", output).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--server", choices=sorted(SERVERS), default="gunicorn")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--cap", type=int, default=5, help="bookings an account may hold")
    parser.add_argument("--rate", type=float, default=0,
                        help="offer this many attempts per second instead of as fast as possible")
    parser.add_argument("--port", type=int, default=0, help="a free port by default")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--child-setup", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_setup:
        child_setup(args.child_setup)
        return

    load_before = list(os.getloadavg())
    psql("postgres", f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
    psql("postgres", f"CREATE DATABASE {SCRATCH}")
    print(f"setting up {SCRATCH}: migrations, office, {args.clients} accounts …", flush=True)
    command = [sys.executable, __file__, "--child-setup", str(args.clients), "--cap", str(args.cap)]
    output = subprocess.run(command, env=bench_env(args), cwd=ROOT, check=True, capture_output=True,
                            text=True).stdout
    setup = json.loads(output.strip().splitlines()[-1])
    port = args.port or free_port()
    server = start_server(args, port)
    try:
        print(f"stampede: {args.clients} clients, {args.attempts} attempts at {OFFICE} on {setup['day']} …",
              flush=True)
        server_cpu = process_cpu_seconds(server.pid)
        latencies, statuses, seconds = stampede(args, port, setup)
        server_cpu = process_cpu_seconds(server.pid) - server_cpu
    finally:
        server.terminate()
        server.wait(timeout=30)
    # What the database holds afterwards: the only truth about overbooking.
    booked, sold, capacity, overbooked = (int(v) for v in psql(SCRATCH, SOLD).split("|"))
    refusals = int(psql(SCRATCH, "SELECT count(*) FROM audit_event WHERE action = 'BOOK_REFUSED'"))
    tps = pgbench_rate(setup["hot_slot"])
    ordered = sorted(latencies)
    result = {
        "clients": args.clients, "attempts": len(latencies), "offered_rate": args.rate or None,
        "server": args.server, "workers": args.workers, "threads": args.threads,
        "db_connections": args.workers * args.threads, "seconds": round(seconds, 2),
        "attempts_per_second": round(len(latencies) / seconds, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
        "successes": statuses.get(201, 0), "bookings_in_db": sold, "slot_counters": booked,
        "day_capacity": capacity, "overbooked": overbooked, "refusals_in_trail": refusals,
        "status_counts": {str(k): v for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0]))},
        "server_errors": sum(v for k, v in statuses.items() if isinstance(k, int) and k >= 500),
        "pgbench_conditional_update_tps": round(tps, 1),
        "client_cpu_seconds": round(stampede.client_cpu, 1),
        "server_cpu_ms_per_attempt": round(server_cpu / max(len(latencies), 1) * 1000, 2),
        "load_average_before": load_before, "load_average_after": list(os.getloadavg()),
        "python_reference_ms": python_reference_ms(),
        "p99_ms_by_tenth": p99_by_tenth(stampede.began, latencies),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "booking_stampede.json").write_text(json.dumps(result, indent=2) + "\n")
    rows = [
        ("clients / attempts", f"{result['clients']} / {result['attempts']}"),
        ("offered load", f"{args.rate:g} attempts/s (paced)" if args.rate else "as fast as possible"),
        (SERVERS[args.server], f"{args.workers} workers × {args.threads} threads = "
                             f"{result['db_connections']} DB connections"),
        ("attempts/s (HTTP, end to end)", result["attempts_per_second"]),
        ("p50 / p99 / max latency (ms)", f"{result['p50_ms']} / {result['p99_ms']} / {result['max_ms']}"),
        ("p99 latency by tenth of the run, in start order (ms)",
         " ".join(f"{p:.0f}" for p in result["p99_ms_by_tenth"])),
        ("successes (201)", result["successes"]),
        ("bookings in database / slot counters / capacity", f"{sold} / {booked} / {capacity}"),
        ("overbooked", overbooked),
        ("status codes", ", ".join(f"{k}: {v}" for k, v in result["status_counts"].items())),
        ("5xx answers", result["server_errors"]),
        ("refusals recorded in the trail", refusals),
        ("pgbench: same conditional UPDATE, 1 hot row, -c 8 (tps)", result["pgbench_conditional_update_tps"]),
        ("portal CPU per attempt (server processes, ms)", result["server_cpu_ms_per_attempt"]),
        ("client CPU seconds (load generator, same machine)", result["client_cpu_seconds"]),
        ("this host's pure-Python reference loop (ms, lower is faster)", result["python_reference_ms"]),
        ("load average before / after (other work on the host)",
         f"{load_before[0]:.1f} / {result['load_average_after'][0]:.1f}"),
    ]
    width = max(len(label) for label, _ in rows)
    print()
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    if not args.keep:
        psql("postgres", f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")


if __name__ == "__main__":
    main()
