"""Benchmark of the audit trail: insert throughput with sealing off and on, sealing and verifying,
and booking throughput with the trail on and off.

    python bench/audit_trail.py [--writers 4] [--seconds 8] [--rounds 3] [--backlog 200000]
                                [--bookings 1500] [--booking-threads 4]

On a fresh scratch database (migrated), several writer processes insert events, one per
transaction as the services do, for a fixed time: into a bare table with no index or trigger
(the physical limit), into the trail with sealing off, and into the trail while a sealer runs
continuously. Then it times sealing and verifying a backlog of events.

Booking throughput: ``--booking-threads`` threads of this process make ``--bookings`` bookings
through ``booking_create`` (validation, NIK check, rate limits, the conditional UPDATE of the
slot, the booking row), once as the portal runs and once with the trail off: the sale's
conditional UPDATE run without the event it writes (``event_record_with``), in this process
only, and the backstop's triggers on bookings and slots disabled on the scratch database, so
nothing at all is written to the trail. The two cases
alternate for ``--rounds`` rounds; medians are kept. Prints one table and writes the figures as
JSON to bench/results/audit_trail.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import multiprocessing
import os
import statistics
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from trail_switch import GUARDED, statement_alone

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


# Booking throughput: the settings of a day on sale to anyone, at any rate (set before Django starts).
BOOKING_ENV = {
    "BOOKING_RATE_PER_ACCOUNT": "100000000", "BOOKING_RATE_PER_DEVICE": "100000000",
    "BOOKING_RATE_PER_IP": "100000000", "BOOKING_WORKING_DAYS": "1,2,3,4,5,6,7",
    "BOOKING_RELEASE_TIME": "00:00", "BOOKING_DAYS_AHEAD": "14", "BOOKING_ACCOUNT_CAP": "1000000",
}
BOOKING_OFFICE = "BENCH-TRAIL"


def booking_setup(threads: int) -> dict:
    """One office with all its days on sale and room for every booking; one account per thread."""
    from django.test.utils import override_settings

    from bookings.models import Slot
    from bookings.services import account_register, slots_materialise
    from offices.access import SystemActor
    from offices.services import office_create, region_get_or_create
    from passport_portal.request_meta import RequestMeta

    system = SystemActor("bench")
    region = region_get_or_create(code="31", name="DKI Jakarta")
    office = office_create(actor=system, code=BOOKING_OFFICE, name="Kanim Bench", type="KANIM", region=region,
                           timezone="Asia/Jakarta", daily_quota=5000)
    slots = []
    for ahead in range(3, 14):  # slots made beforehand: the timed cases only book
        day = office.local_date() + dt.timedelta(days=ahead)
        slots_materialise(office=office, service_date=day)
        slots += [(day, slot.starts_at) for slot in Slot.objects.filter(office=office, service_date=day)]
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        users = [account_register(email=f"trail{i}@example.invalid", phone="081234567890",
                                  password="bench-password-1", device=f"trail-dev-{i}",  # noqa: S106
                                  meta=RequestMeta(ip="127.0.0.1")).user for i in range(threads)]
    return {"office": office, "slots": slots, "users": users}


@contextmanager
def trail_off():
    """No event is written: the sale's statement runs without its event, and the backstop
    triggers are off."""
    from django.db import connection

    from bookings.services import slots as slots_module

    writer = slots_module.event_record_with
    slots_module.event_record_with = statement_alone
    with connection.cursor() as cursor:
        for table in GUARDED:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER audit_backstop")
    try:
        yield
    finally:
        slots_module.event_record_with = writer
        with connection.cursor() as cursor:
            for table in GUARDED:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER audit_backstop")


def booking_rate(setup: dict, bookings: int, threads: int, serials) -> float:
    """Bookings per second made by ``threads`` threads through the booking service."""
    from django.db import connection

    from bookings.services import Applicant, booking_create
    from passport_portal.request_meta import RequestMeta

    lock = threading.Lock()
    errors: list[Exception] = []

    def client(index: int) -> None:
        user = setup["users"][index]
        try:
            for _ in range(bookings // threads):
                with lock:
                    serial = next(serials)
                day, starts = setup["slots"][serial % len(setup["slots"])]
                birth = dt.date(1950, 1, 1) + dt.timedelta(days=serial)
                booking_create(
                    actor=user, office=setup["office"], service_date=day, slot_time=starts, service="NEW",
                    applicant=Applicant(nik=f"317401{birth:%d%m%y}{serial % 9999 + 1:04d}",
                                        name=f"Pemohon {serial}", birth_date=birth, phone="081234567890"),
                    device=f"trail-dev-{index}", meta=RequestMeta(ip="127.0.0.1"))
        except Exception as exc:  # reported below: a refused booking would make the figure wrong
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"booking failed: {errors[0]!r}")
    return (bookings // threads) * threads / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--backlog", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--bookings", type=int, default=1500, help="bookings per case and round")
    parser.add_argument("--booking-threads", type=int, default=4)
    options = parser.parse_args()

    with psycopg.connect(admin_url(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {SCRATCH}")
    os.environ["DATABASE_URL"] = scratch_url()
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.update(BOOKING_ENV)
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

    # Booking throughput, trail on and off, alternating; each booking has a NIK of its own.
    setup = booking_setup(options.booking_threads)
    serials = itertools.count(1)
    booking_rates: dict[str, list[float]] = {"on": [], "off": []}
    for _ in range(options.rounds):
        booking_rates["on"].append(booking_rate(setup, options.bookings, options.booking_threads, serials))
        with trail_off():
            booking_rates["off"].append(booking_rate(setup, options.bookings, options.booking_threads,
                                                     serials))
    connection.close()
    figures["booking_rounds"] = booking_rates
    figures["bookings_per_s_trail_on"] = statistics.median(booking_rates["on"])
    figures["bookings_per_s_trail_off"] = statistics.median(booking_rates["off"])
    figures["booking_trail_ratio"] = figures["bookings_per_s_trail_on"] / figures["bookings_per_s_trail_off"]
    figures["load_average"] = os.getloadavg()[0]

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
        (f"bookings, trail on ({options.booking_threads} threads)", figures["bookings_per_s_trail_on"]),
        (f"bookings, trail off ({options.booking_threads} threads)", figures["bookings_per_s_trail_off"]),
    ]
    print(f"{options.writers} writers, {options.seconds:g} s per case, median of {options.rounds} "
          f"rounds, {os.cpu_count()} cores")
    print(f"| {'what':<48} | {'per second':>10} |")
    print(f"|{'-' * 50}|{'-' * 12}:|")
    for label, rate in rows:
        print(f"| {label:<48} | {rate:>10,.0f} |")
    print(f"bookings with the trail on / off: {figures['booking_trail_ratio']:.2f} (target ≥ 0.9); "
          f"load average {figures['load_average']:.1f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "audit_trail.json").write_text(json.dumps(figures, indent=2) + "\n")
    with psycopg.connect(admin_url(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    main()
