"""Write a scenario: ``python manage.py generate_scenario --size tiny --output s.jsonl --truth s.json``.

The records (records-v1 JSON lines) go to ``--output``, the ground truth to ``--truth``; the same
arguments and seed always give the same bytes. See docs/records-format.md for the format.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from audit.detection.scenario import (
    SIZES,
    ScenarioParameters,
    ScenarioTooLarge,
    UnknownOffice,
    scenario_generate,
)

BUFFER = 1 << 20


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--start: {text!r} is not a date YYYY-MM-DD") from None


class Command(BaseCommand):
    help = ("Generate a deterministic records-v1 scenario with planted abuse (broker rings, colluding "
            "officers, bots, fictitious applications) and its ground truth.")

    def add_arguments(self, parser):
        size = parser.add_mutually_exclusive_group(required=True)
        size.add_argument("--size", choices=sorted(SIZES), help="A preset: offices, window and rates.")
        size.add_argument("--bookings", type=int, help="Number of bookings (all sample offices).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--output", required=True, metavar="FILE.jsonl", help="Where the records go.")
        parser.add_argument("--truth", required=True, metavar="FILE.json", help="Where the truth goes.")
        parser.add_argument("--start", help="First day, YYYY-MM-DD (default 2017-11-06).")
        parser.add_argument("--days", type=int, help="Days in the window (default: enough for the bookings).")
        parser.add_argument("--offices", help="Comma-separated office codes of the sample network.")
        parser.add_argument("--no-progress", action="store_true", help="Show no progress bar.")

    def handle(self, *args, **options):
        params = self.parameters(options)
        bar = tqdm(total=params.bookings, unit=" bookings", unit_scale=True, disable=options["no_progress"],
                   dynamic_ncols=True)
        try:
            with open(options["output"], "wb", buffering=BUFFER) as output, \
                    open(options["truth"], "wb", buffering=BUFFER) as truth:
                result = scenario_generate(params, output=output, truth=truth, progress=bar.update)
        except (ScenarioTooLarge, UnknownOffice) as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"cannot write {exc.filename}: {exc.strerror}") from None
        finally:
            bar.close()
        counts = ", ".join(f"{count} {kind}" for kind, count in result.counts.items())
        self.stdout.write(f"{counts} for {result.window[0]} to {result.window[1]}")
        self.stdout.write(f"{result.records} records in {result.seconds:.1f} s: "
                          f"{result.records_per_second:,.0f} records/s")

    def parameters(self, options) -> ScenarioParameters:
        if options["bookings"] is not None and options["bookings"] < 1:
            raise CommandError("--bookings must be at least 1")
        if options["days"] is not None and options["days"] < 1:
            raise CommandError("--days must be at least 1")
        base = SIZES[options["size"]] if options["size"] else ScenarioParameters(bookings=options["bookings"])
        offices = None
        if options["offices"]:
            offices = tuple(code.strip() for code in options["offices"].split(",") if code.strip())
            if not offices:
                raise CommandError("--offices: give at least one office code")
        return base.with_overrides(
            seed=options["seed"], days=options["days"], offices=offices,
            start=_date(options["start"]) if options["start"] else None)
