"""Where the time of a COPY into the audit trail goes: the hash trigger and each index, apart.

    python bench/copy_costs.py [--events 200000] [--rounds 2] [--only none,all,trigger,...]

Generates history with bench/import_records.py's generator, imports it once into a scratch
database to get real event rows, then COPYs the same rows into a fresh ``audit_event`` (an
empty database from a migrated template) in several variants: with nothing (no trigger, no
index at all: the partitioned heap), with the hash trigger alone, with each index alone, with
the table as migrated, and with the importer's own hash supplied (the trigger then only checks
for a missing one). For each it measures the wall time and the CPU time of the database
backend that ran the COPY (from /proc, so the figure holds on a busy machine), and prints one
table with the cost per row beside the bare heap. Figures go to bench/results/copy_costs.json.

Run as root or as the database's user (the backend's /proc entry must be readable).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
import import_records as bench  # the sibling benchmark: its generator and helpers

ROOT = bench.ROOT
SCRATCH = "pp_bench_costs"
COLUMNS = ("at, actor_type, actor_id, actor_role, actor_user_id, office_id, action, target_type, "
           "target_id, ip, user_agent, request_id, details, source, import_key")
SUPPLIED = f"id, recorded_at, txid, {COLUMNS}, content_hash"
INDEXES = ("audit_event_pkey", "audit_event_at", "audit_event_actor", "audit_event_office",
           "audit_event_target", "audit_event_action", "audit_event_ip", "audit_event_txid_id",
           "audit_event_import_key", "audit_event_rare_source")
TICKS = os.sysconf("SC_CLK_TCK")


def backend_cpu(pid: int) -> float:
    """User + system CPU seconds of one server process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def drop_all_but(conn, keep: set[str], *, trigger: bool) -> None:
    for name in INDEXES:
        if name in keep:
            continue
        if name == "audit_event_pkey":
            conn.execute("ALTER TABLE audit_event DROP CONSTRAINT audit_event_pkey")
        else:
            conn.execute(f"DROP INDEX {name}")
    if not trigger:
        conn.execute("DROP TRIGGER audit_event_content_hash ON audit_event")


def variants(only: set[str] | None) -> list[tuple[str, set[str], bool, bool, bool]]:
    """(label, indexes kept, hash trigger on, hash supplied by the loader, rows sorted by time)."""
    every = set(INDEXES)
    found = [("none", set(), False, False, False), ("trigger", set(), True, False, False)]
    found += [(name.removeprefix("audit_event_"), {name}, False, False, False) for name in INDEXES]
    found += [("indexes", every, False, False, False), ("indexes+trigger", every, True, False, False),
              ("indexes+supplied hash", every, True, True, False),
              ("indexes+trigger by time", every, True, False, True),
              ("indexes+supplied by time", every, True, True, True)]
    return [v for v in found if only is None or v[0] in only]


def by_time(data: bytes, batch: int = 20_000) -> bytes:
    """The same rows, each batch of ``batch`` sorted by ``at`` (the first column of both layouts
    is ``id`` or ``at``; the time is found by its position)."""
    lines = data.splitlines(keepends=True)
    column = 3 if lines and lines[0].count(b"\t") > 16 else 0  # id, recorded_at, txid, at, …
    out = bytearray()
    for start in range(0, len(lines), batch):
        out += b"".join(sorted(lines[start:start + batch], key=lambda line: line.split(b"\t", 4)[column]))
    return bytes(out)


def export_rows(database: str, *, supplied: bool) -> tuple[bytes, int]:
    columns = SUPPLIED if supplied else COLUMNS
    data = bytearray()
    with psycopg.connect(bench.scratch_url(database), autocommit=True) as conn:
        with conn.cursor().copy(f"COPY (SELECT {columns} FROM audit_event "  # noqa: S608
                                "WHERE source = 'import' ORDER BY id) TO STDOUT") as copy:
            for chunk in copy:
                data += chunk
        rows = conn.execute("SELECT count(*) FROM audit_event WHERE source = 'import'").fetchone()[0]
    return bytes(data), rows


def measure(template: str, data: bytes, rows: int, keep: set[str], trigger: bool, supplied: bool) -> dict:
    bench.fresh_database(SCRATCH, template)
    with psycopg.connect(bench.scratch_url(SCRATCH), autocommit=True) as conn:
        conn.execute("SELECT audit_event_ensure_partitions('2016-01-01', '2018-12-31')")
        drop_all_but(conn, keep, trigger=trigger)
        if supplied:  # the trigger fills only a missing hash (as from migration audit/0010 on)
            conn.execute("DROP TRIGGER audit_event_content_hash ON audit_event")
            conn.execute("CREATE TRIGGER audit_event_content_hash BEFORE INSERT ON audit_event FOR EACH ROW "
                         "WHEN (NEW.content_hash IS NULL) EXECUTE FUNCTION audit_event_set_content_hash()")
        conn.execute("CHECKPOINT")
        pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        columns = SUPPLIED if supplied else COLUMNS
        cpu = backend_cpu(pid)
        started = time.perf_counter()
        with conn.transaction(), conn.cursor().copy(f"COPY audit_event ({columns}) FROM STDIN") as copy:
            view = memoryview(data)
            for offset in range(0, len(view), 1 << 20):
                copy.write(view[offset:offset + (1 << 20)])
        wall = time.perf_counter() - started
        cpu = backend_cpu(pid) - cpu
    return {"wall_s": wall, "backend_cpu_s": cpu, "rows_per_s": rows / wall,
            "load_average": os.getloadavg()[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--only", help="comma-separated variant labels")
    parser.add_argument("--workdir", default=str(ROOT / ".var" / "bench-copy-costs"))
    parser.add_argument("--template", help="an existing migrated database to copy instead of migrating one")
    args = parser.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    template = f"{SCRATCH}_template"
    source = f"{SCRATCH}_source"
    bench.fresh_database(template, args.template)
    if not args.template:
        bench.subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"],
                             env={**os.environ, "DATABASE_URL": bench.scratch_url(template)}, check=True,
                             stderr=bench.subprocess.DEVNULL)
    path = workdir / f"events-{args.events}.jsonl"
    bench.generate(path, args.events)
    bench.fresh_database(source, template)
    bench.run_import(path, source)  # the importer as it is: rows exactly as it writes them
    path.unlink()
    plain, rows = export_rows(source, supplied=False)
    supplied_rows, _ = export_rows(source, supplied=True)
    bench.psql("postgres", f"DROP DATABASE IF EXISTS {source} WITH (FORCE)")
    chosen = variants(set(args.only.split(",")) if args.only else None)
    samples: dict[str, list[dict]] = {label: [] for label, *_ in chosen}
    data = {(False, False): plain, (True, False): supplied_rows}
    if any(v[4] for v in chosen):
        data[False, True], data[True, True] = by_time(plain), by_time(supplied_rows)
    for _ in range(args.rounds):  # rounds alternate the variants: a busy spell hits them all alike
        for label, keep, trigger, supplied, ordered in chosen:
            samples[label].append(measure(template, data[supplied, ordered], rows, keep, trigger, supplied))
    bench.psql("postgres", f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
    bench.psql("postgres", f"DROP DATABASE IF EXISTS {template} WITH (FORCE)")
    figures = {label: {key: statistics.median(s[key] for s in runs) for key in runs[0]}
               for label, runs in samples.items()}
    base = figures.get("none", {}).get("backend_cpu_s")
    print(f"{rows:,} rows, median of {args.rounds} rounds, {os.cpu_count()} cores")
    print(f"| {'variant':<26} | {'rows/s':>9} | {'backend CPU s':>13} | {'µs/row':>7} | "
          f"{'µs/row over the heap':>21} | {'load':>5} |")
    print(f"|{'-' * 28}|{'-' * 10}:|{'-' * 14}:|{'-' * 8}:|{'-' * 22}:|{'-' * 6}:|")
    for label, row in figures.items():
        per_row = row["backend_cpu_s"] / rows * 1e6
        extra = f"{(row['backend_cpu_s'] - base) / rows * 1e6:,.1f}" if base is not None else ""
        print(f"| {label:<26} | {row['rows_per_s']:>9,.0f} | {row['backend_cpu_s']:>13.2f} | "
              f"{per_row:>7.1f} | {extra:>21} | {row['load_average']:>5.1f} |")
    bench.RESULTS.mkdir(parents=True, exist_ok=True)
    (bench.RESULTS / "copy_costs.json").write_text(
        json.dumps({"rows": rows, "rounds": args.rounds, "variants": figures, "samples": samples},
                   indent=2) + "\n")


if __name__ == "__main__":
    main()
