from bookings.choices import RECORDS_STATUS, STATUS_FROM_RECORDS, BookingStatus

RECORDS_STATUSES = {"BOOKED", "CANCELLED", "CHECKED_IN", "IN_PROCESS", "APPROVED", "REJECTED", "ISSUED", "NO_SHOW"}


def test_every_status_has_a_records_status():
    assert set(RECORDS_STATUS) == set(BookingStatus) and set(RECORDS_STATUS.values()) == RECORDS_STATUSES


def test_every_records_status_reads_back_to_a_status_that_maps_to_it():
    assert set(STATUS_FROM_RECORDS) == RECORDS_STATUSES
    assert all(RECORDS_STATUS[ours] == theirs for theirs, ours in STATUS_FROM_RECORDS.items())
