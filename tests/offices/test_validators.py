import pytest

from offices.validators import nip_problem


@pytest.mark.parametrize("nip", ["198203152006042001", "199002142015031001", "197907082003122999"])
def test_valid_nip_has_no_problem(nip):
    assert nip_problem(nip) is None


@pytest.mark.parametrize(
    ("nip", "fragment"),
    [
        ("19820315200604200", "18 digits"),        # 17 digits
        ("1982031520060420011", "18 digits"),      # 19 digits
        ("19820315200604200a", "18 digits"),
        ("198202302006042001", "birth date"),      # 30 February
        ("198203152006132001", "appointment"),     # month 13
        ("198203151979042001", "cannot precede"),  # appointed before birth
        ("198203152006043001", "sex"),             # sex digit 3
        ("198203152006042000", "000"),             # serial 000
    ],
)
def test_invalid_nip_names_the_rule(nip, fragment):
    problem = nip_problem(nip)
    assert problem is not None and fragment in problem
