"""``event_record_with``: a change and its event written by one statement, or neither."""

import datetime as dt

import pytest
from django.db import connection, transaction

from audit.actions import Action
from audit.models import Event
from audit.trail import Actor, EventDraft, TrailError, event_record, event_record_with
from offices.services import region_get_or_create
from passport_portal.request_meta import RequestMeta
from tests.audit.test_content_hash import documented_hash, stored_row

RENAME = "UPDATE offices_region SET name = %s WHERE code = %s RETURNING code"
AT = dt.datetime(2026, 3, 1, 8, 30, 0, 123456, tzinfo=dt.UTC)


def draft(**overrides) -> EventDraft:
    fields = {"actor": Actor(type="staff", id="198501012010011001", role="OFFICER", office_id=None),
              "action": Action.QUOTA_CHANGE, "target_type": "region", "target_id": "31",
              "details": {"changes": {"name": {"old": "A", "new": "B"}}, "on": dt.date(2026, 3, 1)},
              "meta": RequestMeta(request_id="r-1", ip="2001:db8::1", user_agent="UA/1"), "at": AT}
    return EventDraft(**{**fields, **overrides})


def region_name(code: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM offices_region WHERE code = %s", [code])
        return cursor.fetchone()[0]


@pytest.fixture
def region(db):
    return region_get_or_create(code="31", name="DKI Jakarta")


def test_the_change_and_its_event_are_written_by_one_statement(region):
    with transaction.atomic():
        recorded = event_record_with(RENAME, ["Jakarta Raya", "31"], draft())
    assert region_name("31") == "Jakarta Raya"
    row = stored_row(recorded.pk)
    assert (row["action"], row["target_id"], row["ip"], row["source"]) == (
        Action.QUOTA_CHANGE, "31", "2001:db8::1", "app")
    assert bytes(row["content_hash"]) == documented_hash(row)
    assert Event.objects.get(pk=recorded.pk).txid == recorded.txid


def test_the_event_is_the_row_event_record_writes(region):
    with transaction.atomic():
        alone = event_record(**{name: getattr(draft(), name) for name in EventDraft.__slots__})
        with_change = event_record_with(RENAME, ["Jakarta Raya", "31"], draft())
    compared = [f.column for f in Event._meta.concrete_fields
                if f.column not in ("id", "recorded_at", "txid", "content_hash")]
    first, second = stored_row(alone.pk), stored_row(with_change.pk)
    assert {c: first[c] for c in compared} == {c: second[c] for c in compared}


def test_a_statement_that_changes_nothing_writes_no_event(region):
    before = Event.objects.count()
    with transaction.atomic():
        assert event_record_with(RENAME, ["Nowhere", "99"], draft()) is None
    assert Event.objects.count() == before


def test_the_change_and_its_event_roll_back_together(region):
    before = Event.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        event_record_with(RENAME, ["Jakarta Raya", "31"], draft())
        raise RuntimeError("the request failed after the statement ran")
    assert region_name("31") == "DKI Jakarta"
    assert Event.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_run_outside_a_transaction():
    region_get_or_create(code="31", name="DKI Jakarta")
    with pytest.raises(TrailError, match="inside the transaction"):
        event_record_with(RENAME, ["Jakarta Raya", "31"], draft())
    assert region_name("31") == "DKI Jakarta"


def test_a_draft_the_trail_refuses_runs_no_statement(region):
    with pytest.raises(TrailError, match="booking"), transaction.atomic():
        event_record_with(RENAME, ["Jakarta Raya", "31"], draft(action=Action.BOOK))
    assert region_name("31") == "DKI Jakarta"
