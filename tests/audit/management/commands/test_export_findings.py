"""The export_findings command: current findings as records-v1, with category and score filters."""

import datetime as dt
import io

import orjson
import pytest
from django.core.management import CommandError, call_command

from audit.models import Event
from audit.records.findings import findings_export
from offices.choices import Role
from offices.errors import NotAllowed
from offices.services import assignment_create, assignment_end
from tests import builders
from tests.audit.detection.findings import finding_about


@pytest.fixture
def findings(network):
    return [finding_about(nip=network.officer_a.staff.nip, office=network.kanim_a, score=0.9),
            finding_about(account="acc-bot-1", detector="bots", score=0.4)]


def exported(*args) -> list[dict]:
    out = io.StringIO()
    call_command("export_findings", *args, stdout=out)
    return [orjson.loads(line) for line in out.getvalue().splitlines()]


def test_findings_are_written_riskiest_first_in_the_format(findings):
    records = exported()
    assert [r["score"] for r in records] == [0.9, 0.4]
    first = records[0]
    assert set(first) == {"kind", "detector", "category", "score", "subjects", "window", "summary", "evidence"}
    assert first["kind"] == "finding"
    assert {"staff": findings[0].staff_nips[0]} in first["subjects"]
    assert set(first["window"]) == {"from", "to"}


def test_a_minimum_score_and_a_category_narrow_the_export(findings):
    assert [r["score"] for r in exported("--min-score", "0.5")] == [0.9]
    assert exported("--category", "COLLUSION") == []


def test_a_score_outside_zero_to_one_is_refused(findings):
    with pytest.raises(CommandError, match="min_score"):
        exported("--min-score", "7")


def test_the_export_is_recorded_in_the_trail(findings):
    exported()
    assert Event.objects.get(action="RECORDS_EXPORT").details["counts"] == {"finding": 2}


def test_no_one_receives_a_finding_about_themselves(findings, network):
    # The officer named in the first finding becomes an auditor: they read the other one only.
    officer = network.officer_a.staff
    assignment_end(actor=builders.SYSTEM, assignment=officer.assignments.get(), valid_until=dt.date(2020, 12, 31))
    assignment_create(actor=builders.SYSTEM, staff=officer, office=network.kanim_b, role=Role.AUDITOR,
                      valid_from=dt.date(2021, 1, 1))
    out = io.BytesIO()
    findings_export(actor=network.officer_a, out=out)
    assert [orjson.loads(line)["score"] for line in out.getvalue().splitlines()] == [0.4]


def test_an_officer_may_not_export_findings(findings, network):
    with pytest.raises(NotAllowed):
        findings_export(actor=network.officer_b, out=io.BytesIO())
