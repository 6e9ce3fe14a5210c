import pytest

from bookings.models import Ballot, BallotEntry, BallotNotice
from bookings.services.ballot_draw import ballot_allocate, ballot_draw, ballot_notify
from tests.bookings.ballot import builders, notifiers


@pytest.fixture
def allocated(network, ballot, settings):
    settings.BALLOT_NOTIFIER = "tests.bookings.ballot.notifiers.RecordingNotifier"
    notifiers.SENT.clear()
    notifiers.FAIL_FOR.clear()
    builders.entrants(ballot, 4, per_account=2)
    builders.close_window(ballot)
    ballot_draw(ballot_id=ballot.pk)
    ballot_allocate(ballot_id=ballot.pk)
    return ballot


def test_each_notice_goes_through_the_configured_notifier(allocated):
    ballot_notify(ballot_id=allocated.pk)
    assert sorted(notifiers.SENT) == sorted(BallotEntry.objects.filter(ballot=allocated)
                                            .values_list("id", flat=True))


def test_an_undelivered_notice_waits_for_the_next_run(allocated):
    stuck = BallotEntry.objects.filter(ballot=allocated).order_by("id").first()
    notifiers.FAIL_FOR.add(stuck.pk)
    assert ballot_notify(ballot_id=allocated.pk) == 3
    assert Ballot.objects.get(pk=allocated.pk).status == "ALLOCATED"
    assert BallotNotice.objects.get(entry=stuck).sent_at is None


def test_the_next_run_sends_only_what_is_left_and_finishes(allocated):
    stuck = BallotEntry.objects.filter(ballot=allocated).order_by("id").first()
    notifiers.FAIL_FOR.add(stuck.pk)
    ballot_notify(ballot_id=allocated.pk)
    notifiers.FAIL_FOR.clear()
    assert ballot_notify(ballot_id=allocated.pk) == 1
    assert notifiers.SENT.count(stuck.pk) == 1 and Ballot.objects.get(pk=allocated.pk).status == "DONE"
