import pytest


@pytest.fixture
def booking_body(network, day):
    """A valid booking request for Kanim A at 08:00 on ``day``; tests change what they test."""

    def make(serial: int = 1, **changes):
        from tests.bookings.builders import nik_for

        body = {"office": network.kanim_a.code, "date": day.isoformat(), "slot": "08:00", "service": "NEW",
                "nik": nik_for(serial), "name": f"Pemohon {serial}", "birth_date": "1990-05-17",
                "phone": "081234567890"}
        return body | changes

    return make
