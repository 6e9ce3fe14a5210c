"""Imported offices and postings come in through the application: the backstop stays quiet."""

import pytest

from audit.models import Event

from . import samples


@pytest.mark.django_db(transaction=True)
def test_imported_network_records_no_outside_change(records_file, run_import):
    path = records_file(samples.office(), samples.unit(), samples.staff())
    report = run_import(path)
    assert report.errors == 0
    assert not Event.objects.filter(action="DATA_CHANGED_OUTSIDE_APP").exists()
    batch = Event.objects.get(action="RECORDS_IMPORT_BATCH")
    assert batch.details["batch"] == {"office": 2, "staff": 1}
