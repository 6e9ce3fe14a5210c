"""Import records-v1 files: ``python manage.py import_records FILE… [--update] [--batch-size N]``.

When bookings came in, the network's weekly figures are rebuilt at the end, so the supervisors'
trends include them at once rather than after the next scheduled refresh (up to ten minutes, in
which the weeks held would show the figures from before the import).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from audit.records import DEFAULT_BATCH_SIZE, ImportReport, records_import
from audit.records.problems import OUTCOMES
from bookings.weekly_figures import weekly_figures_refresh
from offices.access import SystemActor


class Command(BaseCommand):
    help = ("Import records-v1 files (- reads standard input). Good records are kept, bad ones "
            "are reported with file, line and key; the exit status is non-zero if any failed.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--update", action="store_true",
                            help="Let a changed record replace the one with the same identifier.")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE,
                            help=f"Records per transaction (default {DEFAULT_BATCH_SIZE}).")
        parser.add_argument("--no-progress", action="store_true", help="Show no progress bar.")

    def handle(self, *args, **options):
        try:
            report = records_import(
                actor=SystemActor("import_records"), paths=options["files"], update=options["update"],
                batch_size=options["batch_size"], stdin=self.stdin_binary(),
                progress=False if options["no_progress"] else None, concurrent=True)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(_messages(exc)) from None
        self.write_report(report)
        bookings = report.counts.get("booking")
        if bookings and (bookings["created"] or bookings["updated"]):
            rows = weekly_figures_refresh()
            self.stdout.write(f"weekly figures of the network's trends rebuilt ({rows} office-weeks)")
        if report.failed:
            raise CommandError(f"{report.failed} record(s) failed.", returncode=1)

    def stdin_binary(self):
        import sys

        return getattr(sys.stdin, "buffer", None)

    def write_report(self, report: ImportReport) -> None:
        for problem in report.problems():
            label = "error" if problem.severity == "error" else "warning"
            self.stderr.write(f"{label}: {problem}")
        self.stdout.write(f"{'kind':<14}" + "".join(f"{o:>11}" for o in OUTCOMES))
        for kind, counts in sorted(report.counts.items()):
            self.stdout.write(f"{kind:<14}" + "".join(f"{counts[o]:>11}" for o in OUTCOMES))
        self.stdout.write(f"{report.errors} error(s), {report.warnings} warning(s) in "
                          f"{', '.join(report.sources)}")


def _messages(exc: ValidationError) -> str:
    return "; ".join(f"{key}: {' '.join(messages)}" for key, messages in exc.message_dict.items())
