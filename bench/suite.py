"""Every benchmark in one command: one table of figures, limits, ratios and targets, and JSON.

    python bench/suite.py [--quick] [--only stampede,import,audit,trail-http,detection,pages] [--tabulate]

Runs each benchmark script of this folder in turn (each in its own process, on its own scratch
database), then reads the JSON each one wrote to bench/results/ and prints one table: the
figure, the limit or baseline measured in the same run (the database's own rate, a raw COPY,
a plain scan), their ratio, the target and whether it is met. The table and the machine it ran
on (cores, load average, commit) go to bench/results/suite.json.

``--quick`` runs every benchmark at a small size (a few minutes in all) to check that the suite
works; its figures are printed but not judged against targets set for the full sizes.
``--tabulate`` only rebuilds the table from the results already in bench/results/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
MIB_TARGET_IMPORT = 500
MIB_TARGET_DETECTION = 2048


@dataclass
class Row:
    benchmark: str
    figure: str
    value: float | None
    unit: str
    limit: float | None = None  # measured in the same run: what the machine itself can do
    limit_name: str = ""
    target: str = ""
    met: bool | None = None  # None: no target, not measured, or not judged at this size

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.limit:
            return None
        return self.value / self.limit


@dataclass(frozen=True)
class Benchmark:
    name: str
    script: str
    full: tuple[str, ...]
    quick: tuple[str, ...]
    result: str
    rows: Callable[[object, bool], list[Row]]


def _at_least(value, target) -> bool | None:
    return None if value is None else value >= target


def _at_most(value, target) -> bool | None:
    return None if value is None else value <= target


def stampede_rows(result: dict, judged: bool) -> list[Row]:
    rate = result["attempts_per_second"]
    offered = f"offered {result['offered_rate']:g}/s" if result.get("offered_rate") else "closed loop"
    rows = [
        Row("booking stampede", f"attempts/s, {result['clients']} clients, {result['attempts']:,} attempts, "
            f"{offered}, {result['server']}",
            rate, "/s", result["pgbench_conditional_update_tps"], "pgbench, same UPDATE on one hot row",
            "≥ 300", _at_least(rate, 300)),
        Row("booking stampede", "p99 latency", result["p99_ms"], "ms", target="< 500",
            met=result["p99_ms"] < 500),
        Row("booking stampede", "overbooked places", result["overbooked"], "", target="= 0",
            met=result["overbooked"] == 0),
        Row("booking stampede", "5xx responses", result["server_errors"], "", target="= 0",
            met=result["server_errors"] == 0),
    ]
    if not judged:
        rows[0].met = rows[1].met = None
    return rows


def import_rows(result: list, judged: bool) -> list[Row]:
    largest, smallest = result[-1], result[0]
    rate = largest["import_events_per_s"]
    growth = largest["peak_rss_mib"] / smallest["peak_rss_mib"] if smallest["peak_rss_mib"] else None
    return [
        Row("records import", f"events/s, {largest['events']:,} events", rate, "/s",
            largest["raw_copy_unlogged_per_s"], "raw COPY into a bare table",
            "≥ 50,000", _at_least(rate, 50_000) if judged else None),
        Row("records import", "peak memory", largest["peak_rss_mib"], "MiB", target=f"< {MIB_TARGET_IMPORT}",
            met=largest["peak_rss_mib"] < MIB_TARGET_IMPORT),
        Row("records import", f"peak memory growth, {smallest['events']:,} → {largest['events']:,} events",
            growth, "×", target="flat (≤ 1.25)", met=_at_most(growth, 1.25)),
    ]


def audit_rows(result: dict, judged: bool) -> list[Row]:
    on, off = result["trail_inserts_per_s_sealing_on"], result["trail_inserts_per_s_sealing_off"]
    rows = [
        Row("audit trail", "event inserts/s, sealing on", on, "/s", off, "same, sealing off",
            "≥ 0.9 of off", _at_least(on / off, 0.9)),
    ]
    trail_on, trail_off = result.get("bookings_per_s_trail_on"), result.get("bookings_per_s_trail_off")
    rows.append(Row("audit trail", "bookings/s, trail on", trail_on, "/s", trail_off, "same, trail off",
                    "≥ 0.9 of off", _at_least(trail_on / trail_off, 0.9) if trail_on and trail_off else None))
    return rows


def trail_http_rows(result: dict, judged: bool) -> list[Row]:
    on, off = result["bookings_per_s_trail_on"], result["bookings_per_s_trail_off"]
    figure = (f"bookings/s through HTTP, trail on ({result['server']}, {result['clients']} clients; "
              f"judged by the median of the rounds' ratios, {result['trail_ratio']:.2f})")
    return [Row("audit trail", figure, on, "/s", off, "same, trail off", "≥ 0.9 of off",
                _at_least(result["trail_ratio"], 0.9) if judged else None)]


def detection_rows(result: dict, judged: bool) -> list[Row]:
    # The targets are set for 10 million events and 100,000 new ones; smaller runs are not judged.
    judged = judged and result["events"] >= 9_000_000
    peak = result.get("peak_private_mib") or {}
    largest = max(peak.values()) if peak else None
    return [
        Row("detection", f"full run, {result['events']:,} events", result["full_seconds"], "s",
            result["scan_seconds"], "one plain aggregate scan of the trail", "≤ 120 s",
            _at_most(result["full_seconds"], 120) if judged else None),
        Row("detection", f"incremental run, {result['new_events']:,} new events",
            result["incremental_seconds"], "s", result["scan_seconds"],
            "one plain aggregate scan of the trail", "≤ 10 s",
            _at_most(result["incremental_seconds"], 10) if judged else None),
        Row("detection", "peak private memory of any process", largest, "MiB",
            target=f"< {MIB_TARGET_DETECTION}", met=_at_most(largest, MIB_TARGET_DETECTION - 1)),
    ]


def pages_rows(result: dict, judged: bool) -> list[Row]:
    pages = result.get("pages", [])
    if not pages:
        return [Row("page latency", "p95 server time, slowest page", None, "ms", target="< 300")]
    slowest = max(pages, key=lambda page: page["p95_ms"])
    within = sum(1 for page in pages if page["p95_ms"] < 300)
    return [
        Row("page latency", f"p95 server time, slowest page ({slowest['page']})", slowest["p95_ms"], "ms",
            target="< 300", met=slowest["p95_ms"] < 300 if judged else None),
        Row("page latency", "pages with p95 under 300 ms", within, f"of {len(pages)}",
            target=f"{len(pages)} of {len(pages)}", met=within == len(pages) if judged else None),
    ]


BENCHMARKS = (
    # The latency target is one at a load: 200 clients offered 350 attempts a second (above the
    # 300 asked for), each attempt's latency counted from when it was due. A closed loop of 200
    # clients measures the most the portal takes instead; its latency is 200 / rate by Little's law.
    Benchmark("stampede", "booking_stampede.py", ("--server", "granian", "--rate", "350"),
              ("--attempts", "3000", "--server", "granian", "--rate", "350"), "booking_stampede.json",
              stampede_rows),
    Benchmark("import", "import_records.py", (), ("--events", "200000", "--small", "50000"),
              "import_records.json", import_rows),
    Benchmark("audit", "audit_trail.py", (), ("--seconds", "3", "--rounds", "1", "--backlog", "50000"),
              "audit_trail.json", audit_rows),
    Benchmark("trail-http", "trail_cost_http.py", (), ("--bookings", "1000", "--rounds", "1"),
              "trail_cost_http.json", trail_http_rows),
    Benchmark("detection", "detection.py", (), ("--bookings", "50000", "--new-bookings", "5000"),
              "detection.json", detection_rows),
    Benchmark("pages", "pages.py", (), ("--quick",), "pages.json", pages_rows),
)


def run(benchmark: Benchmark, quick: bool) -> float:
    """Run one benchmark script; its own table goes to our output as it runs."""
    options = benchmark.quick if quick else benchmark.full
    command = [sys.executable, str(ROOT / "bench" / benchmark.script), *options]
    print(f"\n=== {benchmark.name}: {' '.join(command[1:])}", flush=True)
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, check=True)
    return time.monotonic() - started


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}".strip()


def table(rows: list[Row]) -> str:
    header = ("benchmark", "figure", "value", "limit (same run)", "ratio", "target", "met")
    lines = [header]
    for row in rows:
        limit = f"{_number(row.limit, row.unit)} ({row.limit_name})" if row.limit else ""
        ratio = f"{row.ratio:.2f}" if row.ratio is not None else ""
        met = {True: "yes", False: "NO", None: ""}[row.met]
        lines.append((row.benchmark, row.figure, _number(row.value, row.unit), limit, ratio, row.target, met))
    text = ["| " + " | ".join(line) + " |" for line in lines]
    text.insert(1, "|" + "|".join(["---"] * 2 + ["---:"] * 3 + ["---"] * 2) + "|")
    return "\n".join(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, figures not judged")
    parser.add_argument("--only", default="", help="comma-separated names: "
                        + ",".join(b.name for b in BENCHMARKS))
    parser.add_argument("--tabulate", action="store_true", help="only tabulate existing results")
    args = parser.parse_args()
    names = {name.strip() for name in args.only.split(",") if name.strip()}
    unknown = names - {b.name for b in BENCHMARKS}
    if unknown:
        parser.error(f"--only: unknown benchmark(s) {', '.join(sorted(unknown))}")
    chosen = [b for b in BENCHMARKS if not names or b.name in names]

    durations = {}
    load_before = os.getloadavg()
    if not args.tabulate:
        for benchmark in chosen:
            durations[benchmark.name] = round(run(benchmark, args.quick), 1)
    rows: list[Row] = []
    for benchmark in chosen:
        path = RESULTS / benchmark.result
        if not path.exists():
            rows.append(Row(benchmark.name, "no result yet", None, "", target="run it"))
            continue
        rows.extend(benchmark.rows(json.loads(path.read_text()), not args.quick))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    print()
    print(table(rows))
    summary = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "commit": commit,
        "cores": os.cpu_count(), "load_average_before": load_before, "load_average_after": os.getloadavg(),
        "quick": args.quick, "seconds": durations,
        "rows": [{**asdict(row), "ratio": row.ratio} for row in rows],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "suite.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    print(f"\n{os.cpu_count()} cores, load average {load_before[0]:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after; commit {commit}; written to {RESULTS / 'suite.json'}")


if __name__ == "__main__":
    main()
