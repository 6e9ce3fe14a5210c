"""Print the signed statement of sealed roots for a day, ready to print or publish."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.statements import statement_for


class Command(BaseCommand):
    help = "Print the signed daily statement of sealed audit roots (date in UTC, default yesterday)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD (UTC); default: yesterday")

    def handle(self, *args, date: str | None, **options):
        try:
            day = (dt.date.fromisoformat(date) if date
                   else timezone.now().date() - dt.timedelta(days=1))
        except ValueError:
            raise CommandError(f"--date: expected YYYY-MM-DD, got {date!r}") from None
        self.stdout.write(statement_for(day).text(), ending="")
