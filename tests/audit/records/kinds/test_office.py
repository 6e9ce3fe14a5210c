"""Office records: created with their units, identical ones left alone, changed ones refused or updated."""

from offices.models import Office

from ..conftest import problems
from ..samples import office, unit


def test_a_kanim_and_its_unit_are_created(db, records_file, run_import):
    report = run_import(records_file(office(), unit()))
    assert report.counts["office"]["created"] == 2
    kokas = Office.objects.select_related("parent", "region").get(code="ULP-KOKAS")
    assert kokas.parent.code == "KANIM-JKS"
    assert kokas.region.name == "DKI Jakarta"
    assert kokas.daily_quota == 120


def test_importing_the_same_offices_again_changes_nothing(db, records_file, run_import):
    path = records_file(office(), unit())
    run_import(path)
    before = list(Office.objects.order_by("code").values("code", "updated_at"))
    report = run_import(path)
    assert report.counts["office"]["unchanged"] == 2
    assert list(Office.objects.order_by("code").values("code", "updated_at")) == before


def test_unknown_keys_are_kept_in_details(db, records_file, run_import):
    run_import(records_file(office(legacy_id=17, kelas="I Khusus")))
    assert Office.objects.get(code="KANIM-JKS").details == {"legacy_id": 17, "kelas": "I Khusus"}


def test_opening_hours_and_city_are_read_when_given(db, records_file, run_import):
    run_import(records_file(office(city="Jakarta Selatan", opens_at="07:30", closes_at="16:00")))
    kanim = Office.objects.get(code="KANIM-JKS")
    assert (kanim.city, kanim.opens_at.strftime("%H:%M")) == ("Jakarta Selatan", "07:30")


def test_a_changed_office_is_an_error_without_update(db, records_file, run_import):
    run_import(records_file(office()))
    report = run_import(records_file(office(daily_quota=500)))
    assert problems(report) == [(1, "daily_quota", "error")]
    assert Office.objects.get(code="KANIM-JKS").daily_quota == 300


def test_a_changed_office_is_updated_with_update(db, records_file, run_import):
    run_import(records_file(office()))
    report = run_import(records_file(office(daily_quota=500, name="Kanim Jakarta Selatan")), update=True)
    assert report.counts["office"]["updated"] == 1
    kanim = Office.objects.get(code="KANIM-JKS")
    assert (kanim.daily_quota, kanim.name) == (500, "Kanim Jakarta Selatan")


def test_a_unit_before_its_kanim_is_a_dangling_reference(db, records_file, run_import):
    report = run_import(records_file(unit(), office()))
    assert problems(report) == [(1, "parent", "error")]
    assert list(Office.objects.values_list("code", flat=True)) == ["KANIM-JKS"]


def test_a_unit_may_refer_to_a_kanim_already_in_the_database(db, records_file, run_import):
    run_import(records_file(office()))
    report = run_import(records_file(unit()))
    assert report.counts["office"]["created"] == 1


def test_a_unit_under_a_unit_is_refused(db, records_file, run_import):
    report = run_import(records_file(office(), unit(), unit("ULP-DEEP", parent="ULP-KOKAS")))
    assert problems(report) == [(3, "parent", "error")]


def test_a_kanim_with_a_parent_is_refused(db, records_file, run_import):
    report = run_import(records_file(office(), office("KANIM-X", parent="KANIM-JKS")))
    assert problems(report) == [(2, "parent", "error")]


def test_unknown_type_timezone_and_province_are_refused(db, records_file, run_import):
    report = run_import(records_file(office("A", type="KANWIL"), office("B", timezone="Asia/Tokyo"),
                                     office("C", region="Atlantis")))
    assert problems(report) == [(1, "type", "error"), (2, "timezone", "error"), (3, "region", "error")]
    assert not Office.objects.exists()


def test_a_missing_key_and_a_wrong_type_are_refused(db, records_file, run_import):
    record = office()
    del record["name"]
    report = run_import(records_file(record, office("B", daily_quota="300"), office("C", daily_quota=-1)))
    assert problems(report) == [(1, "name", "error"), (2, "daily_quota", "error"), (3, "daily_quota", "error")]


def test_a_refusal_by_the_database_fails_that_record_only(db, records_file, run_import):
    # The network trigger refuses turning a Kanim that has units into a unit; the import
    # must report that record and keep the others of the same batch.
    run_import(records_file(office(), unit(), office("KANIM-BDG")))
    demoted = office(type="ULP", parent="KANIM-BDG")
    report = run_import(records_file(office("KANIM-NEW"), demoted, office("KANIM-NEW2")), update=True)
    assert problems(report) == [(2, "", "error")]
    assert report.counts["office"]["created"] == 2
    assert Office.objects.get(code="KANIM-JKS").type == "KANIM"
