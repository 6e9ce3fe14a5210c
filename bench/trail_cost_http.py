"""Booking throughput through HTTP with the audit trail on and off, in the same run.

    python bench/trail_cost_http.py [--clients 16] [--bookings 3000] [--rounds 3]
                                    [--server granian|gunicorn] [--workers 2] [--threads 4]

Makes a scratch database with one office whose days hold far more places than the run books,
one applicant account (with an API token) per client, and starts the portal twice under a
production server: as it runs, and with the booking service's event writer made a no-op
(``bench/trail_off_wsgi.py``). While the "off" server is measured the backstop triggers on
bookings and slots are disabled, so nothing at all reaches the trail; while the "on" server is
measured they are on. ``--clients`` threads, each on its own keep-alive connection, then make
``--bookings`` bookings as fast as they can (every one a sale, each with a NIK of its own) against
one server and then the other (the order alternating), for ``--rounds`` rounds, after a few
hundred unmeasured sales on each; medians are kept. Beside the rates it
prints the CPU each booking cost the server processes and the whole machine (database included).
Writes bench/results/trail_cost_http.json.

``bench/audit_trail.py`` measures the same comparison inside one process, through the booking
service alone: the trail's share of a booking there is larger, since nothing of the request's
own handling (HTTP, token, serializer) is counted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import itertools
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from booking_stampede import accounts_with_tokens, free_port, portal_env, process_cpu_seconds, psql, serving
from trail_switch import GUARDED

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SCRATCH = "pp_bench_trail_http"
OFFICE = "BENCH-TRAIL-HTTP"
WARM_UP = 320  # sales per server before the measured rounds
APPS = {"on": "passport_portal.wsgi:application", "off": "bench.trail_off_wsgi:application"}


def scratch_env() -> dict:
    return {**portal_env(f"postgres://postgres@127.0.0.1:5432/{SCRATCH}", cap=1_000_000),
            "PYTHONPATH": str(ROOT)}


def child_setup(clients: int) -> None:
    """In a child process on the scratch database: migrate, the office and its days, accounts."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.management import call_command

    from bookings.models import Slot
    from bookings.services import slots_materialise
    from offices.access import SystemActor
    from offices.services import office_create, region_get_or_create

    call_command("migrate", verbosity=0)
    region = region_get_or_create(code="31", name="DKI Jakarta")
    office = office_create(actor=SystemActor("bench"), code=OFFICE, name="Kanim Bench", type="KANIM",
                           region=region, timezone="Asia/Jakarta", daily_quota=5000)
    slots = []
    for ahead in range(3, 14):  # made beforehand: the measured rounds only book
        day = office.local_date() + dt.timedelta(days=ahead)
        slots_materialise(office=office, service_date=day)
        slots += [(day.isoformat(), starts.strftime("%H:%M")) for starts in
                  Slot.objects.filter(office=office, service_date=day).values_list("starts_at", flat=True)]
    tokens = accounts_with_tokens(clients, "trail-http")
    print(json.dumps({"tokens": tokens, "slots": slots}))


def start_server(args, app: str, port: int) -> subprocess.Popen:
    if args.server == "granian":
        command = [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1",
                   "--port", str(port), "--workers", str(args.workers),
                   "--blocking-threads", str(args.threads), "--no-ws", "--log-level", "warning", app]
    else:
        command = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}",
                   "--worker-class", "gthread", "--workers", str(args.workers),
                   "--threads", str(args.threads), "--keep-alive", "30", "--log-level", "warning",
                   "--preload"]
    return serving(subprocess.Popen(command, env=scratch_env(), cwd=ROOT), port, f"{args.server} ({app})")


def machine_busy_seconds() -> float:
    """CPU time the whole machine spent busy (all processes, both cores), from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def booking_body(serial: int, slots: list) -> bytes:
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=serial)
    day, starts = slots[serial % len(slots)]
    return json.dumps({"office": OFFICE, "date": day, "slot": starts, "service": "NEW",
                       "nik": f"317401{birth:%d%m%y}{serial % 9999 + 1:04d}", "name": f"Pemohon {serial}",
                       "birth_date": birth.isoformat(), "phone": "081234567890"}).encode()


def booking_round(port: int, setup: dict, bookings: int, serials) -> tuple[float, list]:
    """Bookings per second made by the clients, closed loop, and any answer that was not a 201."""
    lock = threading.Lock()
    failures: list = []
    per_client = bookings // len(setup["tokens"])
    barrier = threading.Barrier(len(setup["tokens"]) + 1)

    def client(index: int) -> None:
        headers = {"Authorization": f"Token {setup['tokens'][index]}", "Content-Type": "application/json",
                   "X-Device-Id": f"trail-http-dev-{index}"}
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", "/api/v1/my/bookings/?page_size=1", headers=headers)
        connection.getresponse().read()
        barrier.wait()
        for _ in range(per_client):
            with lock:
                serial = next(serials)
            connection.request("POST", "/api/v1/my/bookings/", body=booking_body(serial, setup["slots"]),
                               headers=headers)
            response = connection.getresponse()
            answer = response.read()
            if response.status != 201:
                failures.append((response.status, answer[:200]))
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(setup["tokens"]))]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return per_client * len(threads) / (time.perf_counter() - started), failures


def backstop(enabled: bool) -> None:
    verb = "ENABLE" if enabled else "DISABLE"
    psql(SCRATCH, "; ".join(f"ALTER TABLE {table} {verb} TRIGGER audit_backstop" for table in GUARDED))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--bookings", type=int, default=3000, help="bookings per case and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--server", choices=("granian", "gunicorn"), default="granian")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--child-setup", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_setup:
        child_setup(args.child_setup)
        return
    if (args.bookings * args.rounds + WARM_UP) * 2 > 50_000:
        parser.error("--bookings × --rounds × 2 must stay within the office's 55,000 places")

    load_before = os.getloadavg()[0]
    psql("postgres", f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
    psql("postgres", f"CREATE DATABASE {SCRATCH}")
    print(f"setting up {SCRATCH}: migrations, office, {args.clients} accounts …", flush=True)
    output = subprocess.run([sys.executable, __file__, "--child-setup", str(args.clients)], env=scratch_env(),
                            cwd=ROOT, check=True, capture_output=True, text=True).stdout
    setup = json.loads(output.strip().splitlines()[-1])
    servers = {case: (port := free_port(), start_server(args, APPS[case], port)) for case in ("on", "off")}
    serials = itertools.count(1)
    rates: dict[str, list[float]] = {"on": [], "off": []}
    server_ms: dict[str, list[float]] = {"on": [], "off": []}
    machine_ms: dict[str, list[float]] = {"on": [], "off": []}
    try:
        # Each server's first sales load code and prepare statements on each connection: made
        # before the clock, and the order of the cases alternates from round to round.
        for case in ("on", "off"):
            backstop(enabled=case == "on")
            booking_round(servers[case][0], setup, WARM_UP, serials)
        for number in range(args.rounds):
            for case in ("on", "off") if number % 2 == 0 else ("off", "on"):
                backstop(enabled=case == "on")
                port, server = servers[case]
                server_before, machine_before = process_cpu_seconds(server.pid), machine_busy_seconds()
                rate, failures = booking_round(port, setup, args.bookings, serials)
                if failures:
                    raise SystemExit(f"round {number + 1}, trail {case}: {len(failures)} bookings refused, "
                                     f"first {failures[0]!r}")
                made = args.bookings // args.clients * args.clients
                rates[case].append(rate)
                server_ms[case].append((process_cpu_seconds(server.pid) - server_before) / made * 1000)
                machine_ms[case].append((machine_busy_seconds() - machine_before) / made * 1000)
                print(f"round {number + 1}, trail {case}: {rate:,.0f} bookings/s", flush=True)
    finally:
        backstop(enabled=True)
        for _port, server in servers.values():
            server.terminate()
            server.wait(timeout=30)
    events = int(psql(SCRATCH, "SELECT count(*) FROM audit_event WHERE action = 'BOOK'"))
    held = int(psql(SCRATCH, "SELECT count(*) FROM bookings_booking WHERE status = 'BOOKED'"))
    figures = {
        "server": args.server, "workers": args.workers, "threads": args.threads, "clients": args.clients,
        "bookings_per_case_and_round": args.bookings, "rounds": rates,
        "bookings_per_s_trail_on": statistics.median(rates["on"]),
        "bookings_per_s_trail_off": statistics.median(rates["off"]),
        "server_cpu_ms_per_booking": {case: statistics.median(v) for case, v in server_ms.items()},
        "machine_cpu_ms_per_booking": {case: statistics.median(v) for case, v in machine_ms.items()},
        "book_events": events, "bookings_held": held,
        "load_average_before": load_before, "load_average_after": os.getloadavg()[0], "cores": os.cpu_count(),
    }
    # Each round's two cases ran one after the other: their ratio is free of the host's drift
    # between rounds, and the median of those ratios is the figure judged.
    figures["round_ratios"] = [on / off for on, off in zip(rates["on"], rates["off"], strict=True)]
    figures["trail_ratio"] = statistics.median(figures["round_ratios"])
    figures["cpu_ratio"] = (figures["machine_cpu_ms_per_booking"]["off"]
                            / figures["machine_cpu_ms_per_booking"]["on"])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "trail_cost_http.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\n{args.server}, {args.workers} workers × {args.threads} threads, {args.clients} clients, "
          f"{args.bookings:,} bookings per case and round, median of {args.rounds} rounds, "
          f"{os.cpu_count()} cores")
    print("| trail | bookings/s | server CPU per booking (ms) | machine CPU per booking (ms) |")
    print("|---|---:|---:|---:|")
    for case in ("on", "off"):
        print(f"| {case} | {figures[f'bookings_per_s_trail_{case}']:,.0f} | "
              f"{figures['server_cpu_ms_per_booking'][case]:.2f} | "
              f"{figures['machine_cpu_ms_per_booking'][case]:.2f} |")
    print(f"bookings with the trail on / off, median of the rounds' ratios "
          f"({', '.join(f'{r:.2f}' for r in figures['round_ratios'])}): {figures['trail_ratio']:.2f} "
          f"(target ≥ 0.9); machine CPU per booking off / on: {figures['cpu_ratio']:.2f}")
    print(f"BOOK events {events:,} for {held:,} bookings held (the 'off' rounds write none); "
          f"load average {load_before:.1f} / {figures['load_average_after']:.1f}")
    psql("postgres", f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")


if __name__ == "__main__":
    main()
