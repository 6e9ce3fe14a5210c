import datetime as dt

import pytest

from bookings.identity import StructuralNikChecker, mask_nik, nik_problem
from tests.bookings.builders import nik_for

BIRTH = dt.date(1990, 5, 17)


def rule(nik, birth_date=BIRTH):
    problem = nik_problem(nik, birth_date)
    return problem.rule if problem else None


def test_valid_nik_passes():
    assert rule(nik_for(3)) is None


def test_woman_has_forty_added_to_the_day():
    assert rule(nik_for(3, woman=True)) is None and nik_for(3, woman=True)[6:8] == "57"


@pytest.mark.parametrize("nik", ["317401170590000", "31740117059000012", "31740117059O0001", ""])
def test_nik_must_have_sixteen_digits(nik):
    assert rule(nik) == "length"


@pytest.mark.parametrize("province", ["10", "20", "22", "37", "50", "54", "66", "77", "83", "90", "97", "00"])
def test_first_two_digits_must_be_a_province(province):
    assert rule(province + nik_for(3)[2:]) == "province"


@pytest.mark.parametrize("province", ["11", "19", "21", "31", "36", "51", "53", "61", "65", "71", "76", "81", "82", "91", "96"])
def test_every_province_code_is_accepted(province):
    assert rule(province + nik_for(3)[2:]) is None


def test_regency_cannot_be_00():
    assert rule(nik_for(3, area="310001")) == "regency"


def test_district_cannot_be_00():
    assert rule(nik_for(3, area="317400")) == "district"


def test_serial_cannot_be_0000():
    assert rule(nik_for(3)[:12] + "0000") == "serial"


def test_impossible_birth_date_digits_are_refused():
    assert rule("3174013113900001", None) == "birth_date_digits"


def test_century_comes_from_the_birth_date_given():
    born_1900 = dt.date(1900, 2, 28)
    assert rule(nik_for(3, birth_date=born_1900), born_1900) is None
    assert rule("3174012902000001", dt.date(1900, 2, 28)) == "birth_date_digits"  # 1900 is no leap year


def test_nik_must_agree_with_the_birth_date():
    assert rule(nik_for(3), dt.date(1990, 5, 18)) == "birth_date_mismatch"
    assert rule(nik_for(3), dt.date(1990, 6, 17)) == "birth_date_mismatch"


def test_two_digit_year_takes_the_century_of_the_birth_date():
    """DDMMYY cannot tell 1990 from 1890: the birth date given decides the century."""
    assert rule(nik_for(3), dt.date(1890, 5, 17)) is None


def test_problem_message_never_repeats_the_nik():
    nik = "9974011705900001"
    assert nik not in StructuralNikChecker().problem(nik, BIRTH).message


def test_checker_is_chosen_by_setting(settings):
    settings.NIK_CHECKER = "tests.bookings.test_identity.RefuseAll"
    assert rule(nik_for(3)) == "registry"


class RefuseAll:
    """A stand-in for a registry lookup that knows no one."""

    def problem(self, nik, birth_date):
        from bookings.identity import NikProblem

        return NikProblem("registry", "Not in the population registry.")


def test_mask_keeps_first_six_and_last_four():
    assert mask_nik("3174011705900003") == "317401******0003"
