"""Measure detection on a scenario: ``python manage.py detection_report --scenario tiny --seed 1``.

Generates the scenario, imports it into the current database, runs detection over the whole
trail, and prints precision and recall per category (officers, accounts, bookings) and the
precision of the twenty riskiest officers. ``--markdown FILE`` also writes the report there
(the latest one is kept in docs/detection-report.md).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit.detection.report import report_lines, scenario_report
from offices.access import SystemActor


class Command(BaseCommand):
    help = "Generate a scenario, import it, run detection and print precision and recall."

    def add_arguments(self, parser):
        from audit.detection.scenario import SIZES

        parser.add_argument("--scenario", required=True, choices=sorted(SIZES), help="Scenario size preset.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--markdown", metavar="FILE", help="Also write the report to FILE.")
        parser.add_argument("--no-import", action="store_true",
                            help="The scenario (same size and seed) is already in the database.")
        parser.add_argument("--no-progress", action="store_true", help="Show no progress bars.")

    def handle(self, *args, **options):
        try:
            report = scenario_report(actor=SystemActor("detection_report"), size=options["scenario"],
                                     seed=options["seed"], progress=not options["no_progress"],
                                     load=not options["no_import"])
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        lines = report_lines(report)
        self.stdout.write("\n".join(lines))
        if options["markdown"]:
            Path(options["markdown"]).write_text("\n".join(lines) + "\n", encoding="utf-8")
