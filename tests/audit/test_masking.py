"""Personal numbers in event details are masked on the way out, however deep."""

from audit.masking import masked


def test_nik_in_text_is_masked():
    assert masked("pemohon 3171011501900001 datang") == "pemohon 317101******0001 datang"


def test_nik_stored_as_a_number_is_masked():
    assert masked({"nik": 3171011501900001}) == {"nik": "317101******0001"}


def test_niks_in_nested_lists_and_keys_are_masked():
    value = {"family": [{"3171011501900001": "head"}, "3171011501900002"]}
    assert masked(value) == {"family": [{"317101******0001": "head"}, "317101******0002"]}


def test_other_numbers_and_values_are_left_alone():
    value = {"quota": 150, "phone": "081234567890", "ok": True, "nip": "198501012010011001"}
    assert masked(value) == value
