"""Measure the detectors on a generated scenario whose answers are known.

``scenario_report`` generates a scenario, imports it into the current database through the
records importer, runs detection over the whole trail, and compares what was flagged with the
ground truth: precision and recall per category at the level of officers, accounts and
bookings, the precision of the twenty riskiest officers, and whether any officer of a
legitimate look-alike pattern (a one-officer unit, an office working overtime under a
clearance directive) reached those twenty. Only records of the scenario are counted, so other
data in the database does not blur the figures.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from django.db import connection

from audit.records import records_import

from .choices import Category, RunKind
from .foreground import run_in_foreground
from .models import DetectionRun, Finding, SubjectRisk

TOP = 20
#: Targets per (category, level): recall, precision.
TARGETS = {
    (Category.COLLUSION, "officers"): (0.9, 0.8),
    (Category.BROKER, "accounts"): (0.9, 0.8),
    (Category.BOT, "accounts"): (0.95, 0.9),
    (Category.FICTITIOUS, "bookings"): (0.95, 0.9),
}


@dataclass
class Score:
    """Precision and recall of one category at one level."""

    category: str
    level: str
    truth: int
    flagged: int
    hits: int

    @property
    def precision(self) -> float | None:
        return self.hits / self.flagged if self.flagged else None

    @property
    def recall(self) -> float | None:
        return self.hits / self.truth if self.truth else None

    @property
    def target(self) -> tuple[float, float] | None:
        return TARGETS.get((self.category, self.level))

    @property
    def meets_target(self) -> bool | None:
        if self.target is None:
            return None
        recall, precision = self.target
        return (self.recall or 0) >= recall and (self.precision or 0) >= precision


@dataclass
class Report:
    """What one scenario run measured."""

    size: str
    seed: int
    counts: dict
    run: DetectionRun
    scores: list[Score] = field(default_factory=list)
    top_officers: list[tuple[str, float, str]] = field(default_factory=list)  # nip, risk, label
    seconds: dict = field(default_factory=dict)
    loaded: bool = True

    @property
    def top_precision(self) -> float | None:
        if not self.top_officers:
            return None
        return sum(label == "colluding" for _n, _r, label in self.top_officers) / len(self.top_officers)

    @property
    def normal_in_top(self) -> list[str]:
        return [nip for nip, _r, label in self.top_officers if label.startswith("normal")]


@dataclass
class Universe:
    """The scenario's own identifiers, read from its records."""

    staff: set[str] = field(default_factory=set)
    accounts: set[str] = field(default_factory=set)
    bookings: dict[str, str | None] = field(default_factory=dict)  # ref → account ref
    staff_offices: dict[str, str] = field(default_factory=dict)


def _universe(path: Path) -> Universe:
    universe = Universe()
    with path.open("rb") as lines:
        for line in lines:
            record = orjson.loads(line)
            kind = record["kind"]
            if kind == "staff":
                universe.staff.add(record["nip"])
                universe.staff_offices[record["nip"]] = record["office"]
            elif kind == "account":
                universe.accounts.add(record["ref"])
            elif kind == "booking":
                universe.bookings[record["ref"]] = record["account"]
    return universe


def _flagged(category: str) -> tuple[set[str], set[str], set[str]]:
    """Officers, accounts and bookings named by the findings of one category."""
    officers: set[str] = set()
    accounts: set[str] = set()
    bookings: set[str] = set()
    for subjects, refs in Finding.objects.filter(category=category).values_list("subjects", "booking_refs"):
        for subject in subjects:
            officers.update([subject["staff"]] if "staff" in subject else [])
            accounts.update([subject["account"]] if "account" in subject else [])
        bookings.update(refs)
    return officers, accounts, bookings


def _cluster_accounts() -> dict[str, set[str]]:
    """Accounts of each cluster named in findings (a cluster subject stands for its accounts)."""
    from .models import ClusterMember

    members: dict[str, set[str]] = {}
    for cluster, ref in ClusterMember.objects.values_list("cluster", "account_ref"):
        members.setdefault(cluster, set()).add(ref)
    return members


def evaluate(truth: dict, universe: Universe) -> tuple[list[Score], list[tuple[str, float, str]]]:
    """Compare the findings in the database with the truth, within the scenario's universe."""
    rings = truth["collusion"]["rings"]
    colluding = {nip for ring in rings for nip in (*ring["officers"], ring["head"]) if nip}
    ring_accounts = {ref for ring in rings for ref in ring.get("accounts", [])}
    ring_bookings = {entry["booking"] for entry in truth["collusion"]["ring_bookings"]}
    bot_accounts = {entry["account"] for entry in truth["bots"]["accounts"]}
    bot_bookings = {ref for ref, account in universe.bookings.items() if account in bot_accounts}
    fictitious = {entry["booking"] for entry in truth["fictitious"]["bookings"]}
    fictitious_accounts = {entry["account"] for entry in truth["fictitious"]["bookings"] if entry["account"]}

    expected = {
        Category.COLLUSION: (colluding, ring_accounts, ring_bookings),
        Category.BROKER: (set(), ring_accounts, ring_bookings),
        Category.BOT: (set(), bot_accounts, bot_bookings),
        Category.FICTITIOUS: (set(), fictitious_accounts, fictitious),
    }
    members = _cluster_accounts()
    scores = []
    for category, (officers, accounts, bookings) in expected.items():
        got_officers, got_accounts, got_bookings = _flagged(category)
        if category in (Category.BROKER, Category.COLLUSION):
            for subjects in Finding.objects.filter(category=category).values_list("subjects", flat=True):
                for subject in subjects:
                    got_accounts |= members.get(subject.get("cluster", ""), set())
        got_officers &= universe.staff
        got_accounts &= universe.accounts
        got_bookings &= set(universe.bookings)
        levels = (("officers", officers, got_officers), ("accounts", accounts, got_accounts),
                  ("bookings", bookings, got_bookings))
        for level, truth_set, got in levels:
            if level == "officers" and category != Category.COLLUSION:
                continue
            scores.append(Score(category, level, len(truth_set), len(got), len(truth_set & got)))

    normal = truth.get("normal", {})
    small_unit_officers = {unit["officer"] for unit in normal.get("small_units", [])}
    directive_offices = set(normal.get("directive", {}).get("offices", []))
    top = []
    for nip, risk in (SubjectRisk.objects.filter(subject_type="staff", subject_id__in=universe.staff)
                      .order_by("-risk").values_list("subject_id", "risk")[:TOP]):
        if nip in colluding:
            label = "colluding"
        elif nip in small_unit_officers:
            label = "normal: one-officer unit"
        elif universe.staff_offices.get(nip) in directive_offices:
            label = "normal: overtime under a directive"
        else:
            label = "ordinary"
        top.append((nip, risk, label))
    return scores, top


def scenario_report(*, actor, size: str, seed: int, progress: bool = False, load: bool = True) -> Report:
    """Generate, import (unless ``load`` is false: already imported), detect and measure one scenario."""
    from .scenario import SIZES, scenario_generate

    params = SIZES[size].with_overrides(seed=seed)
    seconds = {}
    with tempfile.TemporaryDirectory() as folder:
        records, truth_path = Path(folder) / "scenario.jsonl", Path(folder) / "truth.json"
        began = time.perf_counter()
        with records.open("wb") as output, truth_path.open("wb") as truth_file:
            result = scenario_generate(params, output=output, truth=truth_file)
        seconds["generate"] = time.perf_counter() - began
        began = time.perf_counter()
        if load:
            records_import(actor=actor, paths=[str(records)], progress=progress)
            with connection.cursor() as cursor:  # fresh statistics, so the planner sees the new rows
                cursor.execute("ANALYZE audit_event, bookings_booking, bookings_account")
        seconds["import"] = time.perf_counter() - began
        universe = _universe(records)
        truth = orjson.loads(truth_path.read_bytes())
    began = time.perf_counter()
    run = run_in_foreground(actor=actor, kind=RunKind.FULL, everything=True, progress=progress)
    seconds["detect"] = time.perf_counter() - began
    if run is None:
        raise RuntimeError("no detection run could start: another run is in progress")
    scores, top = evaluate(truth, universe)
    return Report(size=size, seed=seed, counts=result.counts, run=run, scores=scores, top_officers=top,
                  seconds=seconds, loaded=load)


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def report_lines(report: Report) -> list[str]:
    """The report as Markdown lines (also readable as plain text)."""
    lines = [
        f"# Detection report: scenario `{report.size}`, seed {report.seed}",
        "",
        f"Generated {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC by `python manage.py detection_report "
        f"--scenario {report.size} --seed {report.seed}`.",
        "",
        "Scenario: " + ", ".join(f"{count:,} {kind}" for kind, count in report.counts.items()) + ".",
        f"Run {report.run.pk}: {report.run.findings_total} findings; generate "
        f"{report.seconds['generate']:.1f} s, "
        + (f"import {report.seconds['import']:.1f} s, " if report.loaded else "imported earlier, ")
        + f"detect {report.seconds['detect']:.1f} s (this machine: 2 cores).",
        "",
        "| category | level | truth | flagged | hits | precision | recall | target (recall, precision) "
        "| met |",
        "|---|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for score in report.scores:
        target = f"≥ {score.target[0]}, ≥ {score.target[1]}" if score.target else ""
        met = {True: "yes", False: "**no**", None: ""}[score.meets_target]
        lines.append(f"| {score.category} | {score.level} | {score.truth} | {score.flagged} | "
                     f"{score.hits} | {_figure(score.precision)} | {_figure(score.recall)} | {target} "
                     f"| {met} |")
    lines += [
        "",
        f"Top {TOP} officers by overall risk: precision {_figure(report.top_precision)} "
        f"({len(report.top_officers)} officers flagged at all); normal look-alikes among them: "
        f"{len(report.normal_in_top)}.",
        "",
        "| rank | officer (NIP) | risk | ground truth |",
        "|---:|---|---:|---|",
    ]
    lines += [f"| {rank} | {nip} | {risk:.3f} | {label} |"
              for rank, (nip, risk, label) in enumerate(report.top_officers, start=1)]
    lines += ["", "Findings per detector: " + ", ".join(
        f"{name} {count}" for name, count in sorted(report.run.counts.items())) + "."]
    return lines
