"""Check a published statement of sealed roots against its signature and the database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit.statements import StatementError, statement_check


class Command(BaseCommand):
    help = "Verify a statement printed by export_audit_roots. Exits non-zero if it does not hold."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the statement file")

    def handle(self, *args, path: str, **options):
        try:
            problems = statement_check(Path(path).read_text(encoding="utf-8"))
        except (OSError, StatementError) as error:
            raise CommandError(f"{path}: {error}") from None
        for problem in problems:
            self.stdout.write(f"PROBLEM: {problem}")
        if problems:
            raise CommandError("The statement does not hold.")
        self.stdout.write("The statement is authentic and the database matches it.")
