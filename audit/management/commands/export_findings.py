"""Export findings: ``python manage.py export_findings [--category …] [--min-score S] [--output FILE]``."""

from __future__ import annotations

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from audit.detection.choices import Category
from audit.records.findings import findings_export
from audit.records.streams import binary_stdout
from offices.access import SystemActor


class Command(BaseCommand):
    help = "Write the current findings as records-v1 finding records, riskiest first."

    def add_arguments(self, parser):
        parser.add_argument("--category", nargs="+", choices=Category.values, help="Categories to write.")
        parser.add_argument("--min-score", type=float, help="Only findings scoring at least this (0 to 1).")
        parser.add_argument("--output", metavar="FILE", help="Write here instead of standard output.")

    def handle(self, *args, **options):
        arguments = {"actor": SystemActor("export_findings"), "categories": options["category"],
                     "min_score": options["min_score"]}
        try:
            if options["output"]:
                with open(options["output"], "wb") as out:
                    count = findings_export(out=out, **arguments)
            else:
                out = binary_stdout(self.stdout)
                count = findings_export(out=out, **arguments)
                out.flush()
        except ValidationError as exc:
            raise CommandError("; ".join(f"{key}: {' '.join(messages)}"
                                         for key, messages in exc.message_dict.items())) from None
        sys.stderr.write(f"Exported {count} finding(s).\n")

