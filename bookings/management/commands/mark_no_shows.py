"""Mark the no-shows of every office-day that has ended, as the beat task does."""

from django.core.management.base import BaseCommand, CommandError

from bookings.services.no_show import no_shows_mark


class Command(BaseCommand):
    help = ("Mark as NO_SHOW every booking not checked in when its office's day ended (in the "
            "office's own zone). Harmless beside the scheduler: a run holding the lock makes this one stop.")

    def handle(self, *args, **options):
        result = no_shows_mark()
        if result.locked_out:
            raise CommandError("Another no-show run holds the lock; nothing done.")
        self.stdout.write(f"{result.marked} booking(s) marked NO_SHOW in {result.batches} batch(es).")
