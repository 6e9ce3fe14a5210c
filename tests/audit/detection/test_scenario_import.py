"""A scenario is something the portal can load: the importer takes it whole, twice over."""

import io

import pytest
from django.core.management import call_command

from audit.records import records_import
from tests.builders import SYSTEM


@pytest.fixture
def scenario_file(tmp_path, tiny):
    path = tmp_path / "tiny.jsonl"
    path.write_bytes(tiny.raw)
    return str(path)


@pytest.mark.django_db
def test_a_scenario_imports_into_a_seeded_database_without_errors_and_twice_changes_nothing(
        scenario_file, tiny):
    call_command("seed_network", stdout=io.StringIO())

    first = records_import(actor=SYSTEM, paths=[scenario_file], progress=False)
    second = records_import(actor=SYSTEM, paths=[scenario_file], progress=False)

    assert (first.errors, first.warnings) == (0, 0)
    assert first.counts["office"] == {"unchanged": len(tiny.offices)}  # identical to the seeded ones
    assert first.counts["booking"]["created"] == len(tiny.bookings)
    assert first.counts["event"]["created"] == len(tiny.events)
    assert second.errors == 0
    assert all(set(counts) == {"unchanged"} for counts in second.counts.values())
