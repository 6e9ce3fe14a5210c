"""Daily statements of sealed roots: signed, and checked later against the database."""

import datetime as dt

import pytest
from django.utils import timezone

from audit.models import Event, SealBlock
from audit.sealing import seal_pending
from audit.statements import NO_HASH, StatementError, statement_check, statement_for
from tests.audit.conftest import offices_with_events, tamper

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def today_sealed():
    offices_with_events(3)
    seal_pending(block_size=2)
    return timezone.now().date()


def test_statement_names_the_days_blocks_events_and_head(today_sealed):
    statement = statement_for(today_sealed)
    head = SealBlock.objects.order_by("-number").first()
    assert (statement.first_block, statement.last_block) == (1, head.number)
    assert statement.events == Event.objects.count()
    assert statement.head_hash == bytes(head.block_hash).hex()
    assert f"head_hash: {statement.head_hash}" in statement.text()


def test_a_day_without_seals_carries_the_previous_head(today_sealed):
    statement = statement_for(today_sealed + dt.timedelta(days=1))
    assert (statement.block_count, statement.events) == (0, 0)
    assert statement.head_block == SealBlock.objects.count()


def test_a_day_before_any_seal_has_an_empty_head(today_sealed):
    assert statement_for(today_sealed - dt.timedelta(days=1)).head_hash == NO_HASH


def test_an_issued_statement_checks_out(today_sealed):
    assert statement_check(statement_for(today_sealed).text()) == []


def test_an_edited_statement_fails_its_signature(today_sealed):
    text = statement_for(today_sealed).text().replace("events: ", "events: 1")
    assert any("signature" in problem for problem in statement_check(text))


def test_a_statement_signed_with_another_key_fails(today_sealed, settings):
    text = statement_for(today_sealed).text()
    settings.AUDIT_SIGNING_KEY = "another-key"
    assert any("signature" in problem for problem in statement_check(text))


def test_a_rewritten_chain_no_longer_matches_a_published_statement(today_sealed):
    text = statement_for(today_sealed).text()
    tamper("UPDATE audit_sealblock SET block_hash = sha256(block_hash) WHERE number = "
           "(SELECT max(number) FROM audit_sealblock)")
    problems = statement_check(text)
    assert any("no longer matches" in problem for problem in problems)


def test_text_that_is_not_a_statement_is_refused():
    with pytest.raises(StatementError, match="first line"):
        statement_check("hello\n")
