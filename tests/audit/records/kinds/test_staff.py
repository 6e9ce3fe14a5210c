"""Staff records: a profile without a login and its latest posting; postings are history."""

import datetime as dt

from offices.models import Assignment, StaffProfile

from ..conftest import problems
from ..samples import NIP_A, office, staff


def test_staff_are_created_without_a_login_and_with_their_posting(db, records_file, run_import):
    report = run_import(records_file(office(), staff()))
    assert report.counts["staff"]["created"] == 1
    person = StaffProfile.objects.get(nip=NIP_A)
    assert person.user is None
    posting = Assignment.objects.get(staff=person)
    assert (posting.office.code, posting.role, posting.valid_from) == ("KANIM-JKS", "OFFICER", dt.date(2015, 1, 1))


def test_unknown_keys_of_staff_are_ignored_with_a_warning(db, records_file, run_import):
    report = run_import(records_file(office(), staff(grade="III/a")))
    assert problems(report) == [(2, "grade", "warning")]
    assert report.counts["staff"]["created"] == 1


def test_staff_at_an_unknown_office_are_refused(db, records_file, run_import):
    report = run_import(records_file(staff(office="KANIM-NOWHERE")))
    assert problems(report) == [(1, "office", "error")]
    assert not StaffProfile.objects.exists()


def test_a_nip_must_have_18_digits(db, records_file, run_import):
    report = run_import(records_file(office(), staff(nip="12345")))
    assert problems(report) == [(2, "nip", "error")]


def test_a_posting_cannot_end_before_it_starts(db, records_file, run_import):
    report = run_import(records_file(office(), staff(active_until="2014-12-31")))
    assert problems(report) == [(2, "active_until", "error")]


def test_a_new_posting_with_update_ends_the_previous_one_the_day_before(db, records_file, run_import):
    run_import(records_file(office(), office("KANIM-BDG"), staff()))
    report = run_import(records_file(staff(office="KANIM-BDG", active_from="2018-03-01")), update=True)
    assert report.counts["staff"]["updated"] == 1
    postings = list(Assignment.objects.filter(staff__nip=NIP_A).order_by("valid_from")
                    .values_list("office__code", "valid_from", "valid_until"))
    assert postings == [("KANIM-JKS", dt.date(2015, 1, 1), dt.date(2018, 2, 28)),
                        ("KANIM-BDG", dt.date(2018, 3, 1), None)]


def test_a_changed_posting_without_update_is_an_error(db, records_file, run_import):
    run_import(records_file(office(), staff()))
    report = run_import(records_file(staff(role="OFFICE_HEAD")))
    assert problems(report) == [(1, "role", "error")]


def test_an_update_never_rewrites_an_earlier_period(db, records_file, run_import):
    run_import(records_file(office(), staff()))
    report = run_import(records_file(staff(active_from="2010-01-01")), update=True)
    assert problems(report) == [(1, "active_from", "error")]
