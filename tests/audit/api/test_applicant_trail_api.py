"""The applicant's own trail: their bookings' events, every personal-data view, no officer names."""

from audit.models import Event
from tests.bookings import builders as booking_builders
from tests.bookings.conftest import (  # noqa: F401  (fixtures)
    applicant_user,
    booking_calendar,
    day,
    other_applicant_user,
)

URL = "/api/v1/my/trail/"


def test_applicant_sees_their_booking_and_each_time_an_officer_opened_it(network, api, applicant_user, day):  # noqa: F811
    booking = booking_builders.booking(applicant_user, network.kanim_a, day)
    assert api.as_user(network.officer_a).get(f"/api/v1/bookings/{booking.code}/").status_code == 200
    rows = api.as_user(applicant_user).get(URL).json()["results"]
    assert [(r["action"], r["by"], r["booking"]) for r in rows] == [
        ("BOOK", "you", booking.code), ("VIEW_APPLICANT", "OFFICER", booking.code)]
    assert rows[1]["office"] == network.kanim_a.code


def test_officers_identities_are_withheld(network, api, applicant_user, day):  # noqa: F811
    booking = booking_builders.booking(applicant_user, network.kanim_a, day)
    api.as_user(network.officer_a).get(f"/api/v1/bookings/{booking.code}/")
    body = api.as_user(applicant_user).get(URL).content.decode()
    staff = network.officer_a.staff
    assert staff.nip not in body and staff.name not in body


def test_another_applicants_bookings_do_not_appear(network, api, applicant_user, other_applicant_user, day):  # noqa: F811
    booking_builders.booking(other_applicant_user, network.kanim_a, day, serial=2)
    mine = booking_builders.booking(applicant_user, network.kanim_a, day, serial=3)
    rows = api.as_user(applicant_user).get(URL).json()["results"]
    assert {r["booking"] for r in rows} == {mine.code}


def test_one_booking_by_its_code(network, api, applicant_user, day):  # noqa: F811
    first = booking_builders.booking(applicant_user, network.kanim_a, day, serial=4)
    booking_builders.booking(applicant_user, network.kanim_a, day, serial=5)
    rows = api.as_user(applicant_user).get(URL, {"booking": first.code}).json()["results"]
    assert {r["booking"] for r in rows} == {first.code}


def test_staff_have_no_trail_of_their_own_here(network, api, applicant_user, day):  # noqa: F811
    booking_builders.booking(applicant_user, network.kanim_a, day)
    assert api.as_user(network.auditor).get(URL).json()["count"] == 0


def test_auditors_find_a_bookings_timeline_by_its_code(network, api, applicant_user, day):  # noqa: F811
    booking = booking_builders.booking(applicant_user, network.kanim_a, day)
    rows = api.as_user(network.auditor).get(f"/api/v1/audit/bookings/{booking.code}/timeline/").json()["results"]
    assert [r["action"] for r in rows] == ["BOOK"]
    assert rows[0]["id"] == Event.objects.get(action="BOOK", target_id=booking.ref).pk
