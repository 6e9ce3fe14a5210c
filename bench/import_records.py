"""Benchmark of the records importer: events per second and peak memory, beside raw COPY.

    python bench/import_records.py [--events 1000000] [--small 250000] [--keep]

Generates records-v1 files (the scenario generator's output when ``generate_scenario`` is
installed, otherwise a simple generator here), imports each into a fresh scratch database in
a child process (so its peak RSS is its own), then COPYs the same rows into a bare table with
no index or trigger: the physical limit of this machine. Prints one table and writes the
figures as JSON to bench/results/import_records.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SCRATCH = "pp_bench_records"

PATH = ["CHECK_IN", "VERIFY_DOCUMENTS", "CAPTURE_BIOMETRICS", "INTERVIEW", "APPROVE", "PRINT", "HAND_OVER"]
EVENTS_PER_BOOKING = 1 + len(PATH) + 2  # BOOK, the counter path, and two staff logins/views
ZONES = {"Asia/Jakarta": 7, "Asia/Makassar": 8, "Asia/Jayapura": 9}


def generate(path: Path, events: int, *, seed: int = 7) -> dict:
    """A file of history in reference order: offices, staff, accounts, then each booking
    followed by its events (book, the counter path, staff activity), over 2017."""
    rng = random.Random(seed)
    zones = list(ZONES)
    offices = [(f"KANIM-B{i:03d}", zones[i % 3]) for i in range(40)]
    staff = [(f"1985{(i % 12) + 1:02d}{(i % 28) + 1:02d}2010{(i % 12) + 1:02d}1{i % 1000 + 1:03d}",
              offices[i % len(offices)][0]) for i in range(800)]
    by_office: dict[str, list[str]] = {}
    for nip, code in staff:
        by_office.setdefault(code, []).append(nip)
    bookings = events // EVENTS_PER_BOOKING
    accounts = max(1, bookings // 4)
    start = dt.datetime(2017, 1, 1, 1, tzinfo=dt.UTC)
    counts = {"office": 0, "staff": 0, "account": 0, "booking": 0, "event": 0}

    def line(record: dict) -> None:
        out.write(json.dumps(record, separators=(",", ":")) + "\n")
        counts[record["kind"]] += 1

    with path.open("w") as out:
        for code, zone in offices:
            line({"kind": "office", "code": code, "name": f"Kanim {code}", "type": "KANIM", "parent": None,
                  "region": "DKI Jakarta", "timezone": zone, "daily_quota": 200})
        for nip, code in staff:
            line({"kind": "staff", "nip": nip, "name": f"Petugas {nip[-4:]}", "office": code,
                  "role": "OFFICER", "active_from": "2016-01-01", "active_until": None})
        for n in range(accounts):
            line({"kind": "account", "ref": f"acc-{n:07d}", "email": f"a{n}@example.invalid",
                  "phone": f"0812{n:08d}", "created_at": "2016-12-01T10:00:00+07:00",
                  "ip": f"10.{n % 256}.{n // 256 % 256}.1", "device": f"dev-{n % 5000}",
                  "agency_license": None})
        step = 365 * 86400 / max(bookings, 1)
        for n in range(bookings):
            code, zone = offices[rng.randrange(len(offices))]
            tz = dt.timezone(dt.timedelta(hours=ZONES[zone]))
            booked = (start + dt.timedelta(seconds=n * step)).astimezone(tz)
            served = booked + dt.timedelta(days=7)
            ref, account = f"bk-{n:08d}", f"acc-{rng.randrange(accounts):07d}"
            ip = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}"
            line({"kind": "booking", "ref": ref, "account": account, "office": code,
                  "service_date": served.date().isoformat(), "slot": "09:00", "service": "NEW",
                  "channel": "ONLINE", "nik": f"31710141019{n % 100000:05d}", "name": f"Pemohon {n}",
                  "birth_date": "1990-01-01", "phone": "081234567890", "email": None,
                  "created_at": booked.isoformat(), "ip": ip, "device": None, "status": "ISSUED"})
            line({"kind": "event", "at": booked.isoformat(), "actor": {"account": account}, "office": None,
                  "action": "BOOK", "booking": ref, "ip": ip, "details": {}})
            officers = by_office[code]
            moment = served.replace(hour=8, minute=0, second=0) + dt.timedelta(
                seconds=rng.randrange(7 * 3600), microseconds=rng.randrange(10**6))
            for action in PATH:
                moment += dt.timedelta(seconds=rng.randrange(60, 900))
                line({"kind": "event", "at": moment.isoformat(),
                      "actor": {"staff": officers[rng.randrange(len(officers))]}, "office": code,
                      "action": action, "booking": ref, "ip": f"10.9.{rng.randrange(256)}.1",
                      "details": {"collected_by": "applicant"} if action == "HAND_OVER" else {}})
            for action in ("STAFF_LOGIN", "VIEW_APPLICANT"):
                line({"kind": "event", "at": (moment + dt.timedelta(seconds=rng.randrange(3600))).isoformat(),
                      "actor": {"staff": officers[rng.randrange(len(officers))]}, "office": code,
                      "action": action, "booking": ref if action == "VIEW_APPLICANT" else None,
                      "ip": f"10.9.{rng.randrange(256)}.1", "details": {}})
    return counts


def child(path: str) -> None:
    """Import one file in this process and print its figures as JSON (run by the parent)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passport_portal.settings.local")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from audit.records import records_import
    from offices.access import SystemActor

    started = time.perf_counter()
    report = records_import(actor=SystemActor("bench"), paths=[path], progress=False, concurrent=True)
    seconds = time.perf_counter() - started
    print(json.dumps({
        "seconds": seconds, "events": report.counts["event"]["created"], "failed": report.failed,
        "records": sum(report.counts[kind]["created"] for kind in report.counts),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "cpu_seconds": resource.getrusage(resource.RUSAGE_SELF).ru_utime
        + resource.getrusage(resource.RUSAGE_SELF).ru_stime,
    }))


def psql(database: str, sql: str) -> None:
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", HOST, "-U", USER, "-d", database,
                    "-c", sql], check=True, stdout=subprocess.DEVNULL)


def scratch_url(database: str) -> str:
    return f"postgres://{USER}@{HOST}:{PORT}/{database}"


def fresh_database(name: str, template: str | None = None) -> None:
    psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql("postgres", f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))


def run_import(path: Path, database: str) -> dict:
    env = {**os.environ, "DATABASE_URL": scratch_url(database)}
    output = subprocess.run([sys.executable, __file__, "--child", str(path)], env=env, check=True,
                            capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def raw_copy(database: str, template: str) -> dict:
    """COPY the imported rows again: into bare tables (unlogged, then plain), the machine's
    floor; and into the audit table of an empty database, the floor its indexes and triggers
    leave to any loader."""
    import psycopg

    columns = ("at, actor_type, actor_id, actor_role, actor_user_id, office_id, action, target_type, "
               "target_id, ip, user_agent, request_id, details, source, import_key")
    figures = {}
    with psycopg.connect(scratch_url(database), autocommit=True) as conn:
        data = bytearray()
        with conn.cursor().copy(f"COPY (SELECT {columns} FROM audit_event "  # noqa: S608
                                "WHERE source = 'import') TO STDOUT") as copy:
            for chunk in copy:
                data += chunk
        rows = conn.execute("SELECT count(*) FROM audit_event WHERE source = 'import'").fetchone()[0]
        for kind in ("unlogged", "plain"):
            table = f"bare_{kind}"
            conn.execute(f"CREATE {'UNLOGGED ' if kind == 'unlogged' else ''}TABLE {table} "  # noqa: S608
                         f"AS SELECT {columns} FROM audit_event WITH NO DATA")
            started = time.perf_counter()
            with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                view = memoryview(data)
                for offset in range(0, len(view), 1 << 20):
                    copy.write(view[offset:offset + (1 << 20)])
            figures[kind] = rows / (time.perf_counter() - started)
    fresh_database(f"{SCRATCH}_raw", template)
    with psycopg.connect(scratch_url(f"{SCRATCH}_raw"), autocommit=True) as conn:
        conn.execute("SELECT audit_event_ensure_partitions('2016-01-01', '2018-12-31')")
        started = time.perf_counter()
        with conn.cursor().copy(f"COPY audit_event ({columns}) FROM STDIN") as copy:
            view = memoryview(data)
            for offset in range(0, len(view), 1 << 20):
                copy.write(view[offset:offset + (1 << 20)])
        figures["audit_event"] = rows / (time.perf_counter() - started)
    psql("postgres", f"DROP DATABASE IF EXISTS {SCRATCH}_raw WITH (FORCE)")
    return figures


HOST, PORT, USER = "127.0.0.1", 5432, "postgres"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=250_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", default=str(ROOT / ".var" / "bench-import-records"))
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    template = f"{SCRATCH}_template"
    fresh_database(template)
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"],
                   env={**os.environ, "DATABASE_URL": scratch_url(template)}, check=True,
                   stderr=subprocess.DEVNULL)
    rows = []
    for events in (args.small, args.events):
        path = workdir / f"events-{events}.jsonl"
        generated = generate(path, events)
        fresh_database(SCRATCH, template)
        result = run_import(path, SCRATCH)
        floor = raw_copy(SCRATCH, template)
        rows.append({"events": generated["event"], "file_mib": path.stat().st_size / 2**20,
                     "records": generated,
                     "import_seconds": result["seconds"],
                     "import_events_per_s": result["events"] / result["seconds"],
                     "raw_copy_unlogged_per_s": floor["unlogged"], "raw_copy_plain_per_s": floor["plain"],
                     "raw_copy_audit_event_per_s": floor["audit_event"],
                     "import_cpu_seconds": result["cpu_seconds"],
                     "peak_rss_mib": result["peak_rss_mib"], "failed": result["failed"],
                     "load_average": os.getloadavg()[0]})
        path.unlink()
    psql("postgres", f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
    psql("postgres", f"DROP DATABASE IF EXISTS {template} WITH (FORCE)")
    print(f"{'events':>10} {'file MiB':>9} {'import s':>9} {'events/s':>10} {'CPU s':>6} "
          f"{'COPY unlogged/s':>16} {'COPY plain/s':>13} {'COPY audit_event/s':>19} {'peak RSS MiB':>13} "
          f"{'load':>5}")
    for row in rows:
        print(f"{row['events']:>10,} {row['file_mib']:>9.0f} {row['import_seconds']:>9.1f} "
              f"{row['import_events_per_s']:>10,.0f} {row['import_cpu_seconds']:>6.1f} "
              f"{row['raw_copy_unlogged_per_s']:>16,.0f} {row['raw_copy_plain_per_s']:>13,.0f} "
              f"{row['raw_copy_audit_event_per_s']:>19,.0f} {row['peak_rss_mib']:>13.0f} "
              f"{row['load_average']:>5.1f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "import_records.json").write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
