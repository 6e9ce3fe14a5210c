import pytest
from django.core.exceptions import ValidationError

from bookings.phones import phone_normalise


@pytest.mark.parametrize("raw", ["081234567890", "+6281234567890", "6281234567890", "0812-3456-7890",
                                 "+62 812 3456 7890"])
def test_accepted_forms_are_stored_as_plus_62(raw):
    assert phone_normalise(raw) == "+6281234567890"


@pytest.mark.parametrize("raw", ["0212345678", "+6521234567", "81234567890", "08123", "0812345678901234", "", "08abc"])
def test_other_numbers_are_refused_with_the_accepted_forms(raw):
    with pytest.raises(ValidationError, match="08"):
        phone_normalise(raw)
