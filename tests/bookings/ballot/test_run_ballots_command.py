"""The run_ballots command shares the beat task's runner."""

from io import StringIO

from django.core.management import call_command

from bookings.models import Ballot
from tests.bookings.ballot import builders


def run() -> str:
    out = StringIO()
    call_command("run_ballots", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_due_ballots_are_run_to_the_end(network, ballot):
    builders.entrants(ballot, 3, per_account=3)
    builders.close_window(ballot)
    output = run()
    assert f"ballot {ballot.pk}: DONE, booked 3" in output
    assert Ballot.objects.get(pk=ballot.pk).status == "DONE"


def test_open_ballots_are_left_alone(network, ballot):
    assert "0 ballot(s) due." in run()
    assert Ballot.objects.get(pk=ballot.pk).status == "OPEN"
