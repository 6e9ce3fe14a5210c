"""Account records: no login, the phone in the portal's one form, unknown keys in details."""

from bookings.models import Account

from ..conftest import problems
from ..samples import account


def test_an_account_is_created_without_a_login_and_its_phone_normalised(db, records_file, run_import):
    report = run_import(records_file(account()))
    assert report.counts["account"]["created"] == 1
    imported = Account.objects.get(ref="acc-001")
    assert (imported.user, imported.phone, imported.registration_device) == (None, "+6281234567890", "dev-7f3a")


def test_a_phone_that_is_not_indonesian_is_refused(db, records_file, run_import):
    report = run_import(records_file(account(phone="+4420 7946 0000")))
    assert problems(report) == [(1, "phone", "error")]
    assert not Account.objects.exists()


def test_unknown_keys_of_an_account_are_kept_in_details(db, records_file, run_import):
    run_import(records_file(account(referrer="agent-9")))
    assert Account.objects.get(ref="acc-001").details == {"referrer": "agent-9"}


def test_an_account_written_in_another_phone_form_is_unchanged(db, records_file, run_import):
    run_import(records_file(account()))
    report = run_import(records_file(account(phone="+6281234567890")))
    assert report.counts["account"]["unchanged"] == 1


def test_a_changed_account_is_updated_only_when_told(db, records_file, run_import):
    run_import(records_file(account()))
    refused = run_import(records_file(account(agency_license="PPIU-123")))
    assert problems(refused) == [(1, "agency_license", "error")]
    run_import(records_file(account(agency_license="PPIU-123")), update=True)
    assert Account.objects.get(ref="acc-001").agency_license == "PPIU-123"


def test_a_timestamp_without_an_offset_is_refused(db, records_file, run_import):
    report = run_import(records_file(account(created_at="2017-09-01T10:00:00")))
    assert problems(report) == [(1, "created_at", "error")]
