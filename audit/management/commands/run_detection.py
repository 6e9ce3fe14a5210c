"""Run the detectors now: ``python manage.py run_detection [--full | --since TIME]``.

The same code as the scheduled Celery tasks, in the foreground with a progress bar. Without
options it is an incremental run over the events since the last successful run; ``--full``
covers the whole trail, ``--since`` everything from a moment on.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from audit.detection.choices import RunKind, RunStatus
from audit.detection.foreground import run_in_foreground
from audit.detection.models import Finding
from offices.access import SystemActor


def _aware(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--since: {text!r} is not an ISO 8601 time") from None
    if value.tzinfo is None:
        raise CommandError("--since: give the time with its zone offset, e.g. 2017-11-01T00:00+07:00")
    return value


class Command(BaseCommand):
    help = "Run the detectors in the foreground and print what they found."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--full", action="store_true", help="Cover the whole audit trail.")
        which.add_argument("--since", metavar="TIME", help="Cover events from TIME (ISO 8601, with offset).")
        parser.add_argument("--top", type=int, default=10, help="Findings to print per category.")
        parser.add_argument("--no-progress", action="store_true", help="Show no progress bar.")

    def handle(self, *args, **options):
        since = _aware(options["since"]) if options["since"] else None
        kind = RunKind.FULL if options["full"] or since else RunKind.INCREMENTAL
        try:
            run = run_in_foreground(actor=SystemActor("run_detection"), kind=kind, since=since,
                                    everything=options["full"], progress=not options["no_progress"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        if run is None:
            self.stdout.write("No run started: another run is in progress, or nothing is new.")
            return
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(f"run {run.pk} {run.status}: {run.error}")
        self.stdout.write(f"run {run.pk} ({run.kind}) {run.window_from:%Y-%m-%d %H:%M} – "
                          f"{run.window_to:%Y-%m-%d %H:%M} UTC: {run.findings_total} finding(s) "
                          f"in {run.duration_seconds:.1f}s")
        for detector, count in sorted(run.counts.items()):
            self.stdout.write(f"  {detector:<28}{count:>8}")
        findings = Finding.objects.filter(last_run=run).order_by("category", "-score")
        shown: dict[str, int] = {}
        for finding in findings.iterator():
            if shown.get(finding.category, 0) >= options["top"]:
                continue
            shown[finding.category] = shown.get(finding.category, 0) + 1
            self.stdout.write(f"{finding.category:<11}{finding.score:5.2f}  {finding.summary}")
