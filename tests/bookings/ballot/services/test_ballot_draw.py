import pytest
from django.db import connection

from audit.models import Event
from bookings.models import Ballot, BallotEntry
from bookings.services.ballot_draw import ballot_draw, ballot_verify, draw_order, order_digest
from tests.bookings.ballot import builders

SEED = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def closed_ballot(network, ballot):
    builders.entrants(ballot, 12, per_account=4)
    return builders.close_window(ballot)


def ranks(ballot) -> dict[int, int]:
    return dict(BallotEntry.objects.filter(ballot=ballot).values_list("id", "rank"))


def test_rerunning_the_draw_from_its_seed_gives_the_stored_ranks(network, closed_ballot):
    assert ballot_draw(ballot_id=closed_ballot.pk, seed=SEED)
    expected = draw_order(SEED, ranks(closed_ballot))
    assert [entry_id for entry_id, _rank in sorted(ranks(closed_ballot).items(), key=lambda r: r[1])] == expected


def test_draw_keeps_its_seed_and_records_it(network, closed_ballot):
    ballot_draw(ballot_id=closed_ballot.pk)
    closed_ballot.refresh_from_db()
    event = Event.objects.get(action="BALLOT_DRAW", target_id=closed_ballot.ref)
    order = draw_order(closed_ballot.seed, ranks(closed_ballot))
    assert closed_ballot.status == "DRAWN" and len(closed_ballot.seed) == 32
    assert event.details["seed"] == closed_ballot.seed and event.details["entries"] == 12
    assert event.details["order_sha256"] == order_digest(order)


def test_a_ballot_is_drawn_once(network, closed_ballot):
    assert ballot_draw(ballot_id=closed_ballot.pk)
    first = Ballot.objects.get(pk=closed_ballot.pk).seed
    assert not ballot_draw(ballot_id=closed_ballot.pk)
    assert Ballot.objects.get(pk=closed_ballot.pk).seed == first
    assert Event.objects.filter(action="BALLOT_DRAW").count() == 1


def test_no_draw_while_the_window_is_open(network, ballot, applicant_user):
    builders.enter(applicant_user, ballot, 1)
    assert not ballot_draw(ballot_id=ballot.pk)
    assert Ballot.objects.get(pk=ballot.pk).status == "OPEN"


def test_different_seeds_give_different_orders(network, closed_ballot):
    ids = list(ranks(closed_ballot))
    assert draw_order(SEED, ids) != draw_order("f" * 32, ids)


def test_the_order_does_not_depend_on_how_the_ids_are_listed(network, closed_ballot):
    ids = list(ranks(closed_ballot))
    assert draw_order(SEED, ids) == draw_order(SEED, list(reversed(ids)))


def test_verify_agrees_with_an_honest_draw(network, closed_ballot):
    ballot_draw(ballot_id=closed_ballot.pk)
    closed_ballot.refresh_from_db()
    result = ballot_verify(ballot=closed_ballot)
    assert result.ok and result.entries == 12


def test_verify_names_entries_whose_rank_was_changed(network, closed_ballot):
    ballot_draw(ballot_id=closed_ballot.pk)
    closed_ballot.refresh_from_db()
    first, last = sorted(ranks(closed_ballot).items(), key=lambda r: r[1])[0::11]
    with connection.cursor() as cursor:  # swap the first and the last rank, as an insider might
        cursor.execute("UPDATE bookings_ballotentry SET rank = NULL WHERE id IN (%s, %s)", [first[0], last[0]])
        cursor.execute("UPDATE bookings_ballotentry SET rank = %s WHERE id = %s", [last[1], first[0]])
        cursor.execute("UPDATE bookings_ballotentry SET rank = %s WHERE id = %s", [first[1], last[0]])
    result = ballot_verify(ballot=closed_ballot)
    assert not result.ok and result.mismatched_entries == sorted([first[0], last[0]])


def test_verify_notices_a_changed_seed(network, closed_ballot):
    ballot_draw(ballot_id=closed_ballot.pk)
    Ballot.objects.filter(pk=closed_ballot.pk).update(seed="a" * 32)
    closed_ballot.refresh_from_db()
    assert not ballot_verify(ballot=closed_ballot).ok
