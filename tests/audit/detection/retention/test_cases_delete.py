"""Closed cases past CASE_RETENTION_DAYS go with their notes; the database refuses any other deletion."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from audit.actions import Action
from audit.detection.models import Case, CaseNote, Finding
from audit.detection.retention import cases_delete
from audit.models import Event

from .conftest import DAYS, before_cutoff, case_about, cutoff, finding_naming


def run(**kwargs):
    return cases_delete(days=DAYS, **kwargs)


def test_a_case_closed_before_the_cutoff_goes_with_its_notes_and_links_and_its_findings_stay(network):
    finding = finding_naming(office=network.kanim_a)
    old = case_about(network, finding, closed_at=before_cutoff(days=0) - dt.timedelta(seconds=1))
    result = run()
    assert result.counts == {"cases": 1, "notes": 1}
    assert not Case.objects.filter(pk=old.pk).exists()
    assert not CaseNote.objects.filter(case_id=old.pk).exists()
    assert Finding.objects.filter(pk=finding.pk).exists() and not finding.cases.exists()
    event = Event.objects.get(action=Action.RETENTION_APPLY, target_id="cases")
    assert event.details == {"kind": "cases", "cutoff": cutoff().isoformat(), "batch": 1, "cases": 1, "notes": 1}


def test_a_case_closed_on_the_cutoff_day_and_an_open_case_stay(network):
    on_the_day = case_about(network, finding_naming(office=network.kanim_a), closed_at=before_cutoff(days=0))
    still_open = case_about(network, finding_naming(office=network.kanim_a))
    Case.objects.filter(pk=still_open.pk).update(opened_at=before_cutoff(days=3000))
    assert run().counts == {"cases": 0, "notes": 0}
    assert Case.objects.filter(pk__in=[on_the_day.pk, still_open.pk]).count() == 2


def test_a_dry_run_counts_and_deletes_nothing(network):
    case = case_about(network, finding_naming(office=network.kanim_a), closed_at=before_cutoff())
    assert run(dry_run=True).counts == {"cases": 1}
    assert Case.objects.filter(pk=case.pk).exists()
    assert not Event.objects.filter(action=Action.RETENTION_APPLY).exists()


def _refused(sql: str, params: list) -> str:
    with pytest.raises(IntegrityError) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return str(error.value)


def test_the_database_refuses_deleting_an_open_case(network):
    case = case_about(network, finding_naming(office=network.kanim_a))
    message = _refused("DELETE FROM detection_case WHERE id = %s", [case.pk])
    assert "only a closed case may be deleted" in message


def test_the_database_refuses_deleting_a_note_of_a_case_that_stays(network):
    case = case_about(network, finding_naming(office=network.kanim_a), closed_at=before_cutoff())
    message = _refused("DELETE FROM detection_casenote WHERE case_id = %s", [case.pk])
    assert "deleted only with their case" in message


def test_the_database_refuses_changing_a_note_even_of_a_closed_case(network):
    case = case_about(network, finding_naming(office=network.kanim_a), closed_at=before_cutoff())
    message = _refused("UPDATE detection_casenote SET text = 'rewritten' WHERE case_id = %s", [case.pk])
    assert "never changed" in message
