"""The seal, verify and statement commands: output, exit status and tampering reports."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit.models import SealBlock
from tests.audit.conftest import offices_with_events, tamper

pytestmark = pytest.mark.django_db(transaction=True)


def run(name, *args) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_seal_audit_seals_and_says_how_much():
    offices_with_events(2)
    assert "Sealed 1 blocks" in run("seal_audit")
    assert SealBlock.objects.count() == 1


def test_verify_audit_passes_on_an_intact_trail():
    offices_with_events(2)
    run("seal_audit")
    offices_with_events(1, prefix="LATER")
    output = run("verify_audit")
    assert "The trail verifies." in output
    assert "1 events not yet sealed" in output


def test_verify_audit_names_the_tampered_event_and_exits_non_zero():
    events = offices_with_events(2)
    run("seal_audit")
    tamper("DELETE FROM audit_event WHERE id = %s", [events[0].pk])
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 problems"):
        call_command("verify_audit", stdout=out, stderr=io.StringIO())
    assert f"DELETED: event {events[0].pk}" in out.getvalue()
    assert "Not trustworthy from block 1" in out.getvalue()


def test_export_audit_roots_prints_a_signed_statement(tmp_path):
    offices_with_events(1)
    run("seal_audit")
    text = run("export_audit_roots", "--date", timezone.now().date().isoformat())
    assert text.startswith("audit-roots-v1\n") and "signature: hmac-sha256:" in text
    path = tmp_path / "statement.txt"
    path.write_text(text)
    assert "authentic" in run("verify_audit_roots", str(path))


def test_export_audit_roots_refuses_a_bad_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("export_audit_roots", "--date", "29-11-2026")


def test_verify_audit_roots_fails_on_an_altered_statement(tmp_path):
    offices_with_events(1)
    run("seal_audit")
    text = run("export_audit_roots", "--date", timezone.now().date().isoformat())
    path = tmp_path / "statement.txt"
    path.write_text(text.replace("block_count: 1", "block_count: 2"))
    with pytest.raises(CommandError, match="does not hold"):
        run("verify_audit_roots", str(path))
