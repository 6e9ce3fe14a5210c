"""Export records-v1: ``python manage.py export_records [--kinds …] [--since …] [--until …]
[--office CODE] [--output FILE]``."""

from __future__ import annotations

import datetime as dt
import sys
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from audit.records import EXPORTERS, records_export
from audit.records.streams import binary_stdout
from offices.access import SystemActor


def moment(value: str) -> dt.datetime:
    """A timestamp with an offset, or a date (the start of that day in the portal's zone)."""
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(settings.TIME_ZONE))
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD) or a timestamp with an offset.") from None
    if parsed.tzinfo is None:
        raise CommandError(f"{value!r}: a timestamp needs an offset (e.g. +07:00).")
    return parsed


class Command(BaseCommand):
    help = "Write records-v1 (to standard output or --output FILE), in an order that imports cleanly."

    def add_arguments(self, parser):
        parser.add_argument("--kinds", nargs="+", choices=list(EXPORTERS),
                            help="Kinds to write (default all).")
        parser.add_argument("--since", type=str, help="Events at or after this date or timestamp.")
        parser.add_argument("--until", type=str, help="Events before this date or timestamp.")
        parser.add_argument("--office", metavar="CODE", help="One office (a Kanim with its units).")
        parser.add_argument("--output", metavar="FILE", help="Write here instead of standard output.")

    def handle(self, *args, **options):
        since = moment(options["since"]) if options["since"] else None
        until = moment(options["until"]) if options["until"] else None
        arguments = {"actor": SystemActor("export_records"), "kinds": options["kinds"], "since": since,
                     "until": until, "office_code": options["office"]}
        try:
            if options["output"]:
                with open(options["output"], "wb") as out:
                    counts = records_export(out=out, **arguments)
            else:
                out = binary_stdout(self.stdout)
                counts = records_export(out=out, **arguments)
                out.flush()
        except ValidationError as exc:
            raise CommandError(_messages(exc)) from None
        summary = ", ".join(f"{counts[kind]} {kind}" for kind in EXPORTERS if kind in counts) or "nothing"
        sys.stderr.write(f"Exported {summary}.\n")


def _messages(exc: ValidationError) -> str:
    return "; ".join(f"{key}: {' '.join(messages)}" for key, messages in exc.message_dict.items())
