"""The applicant's API: booking and every refusal it can answer."""

import datetime as dt

from audit.models import Event
from bookings.services import capacity_change

URL = "/api/v1/my/bookings/"


def book(api, user, body, **headers):
    return api.as_user(user).post(URL, body, HTTP_X_DEVICE_ID="dev-api", **headers)


def test_booking_answers_201_with_code_and_qr(network, api, applicant_user, booking_body):
    response = book(api, applicant_user, booking_body())
    assert response.status_code == 201
    assert response.data["status"] == "BOOKED" and response.data["records_status"] == "BOOKED"
    assert response.data["nik"] == "317401******0001" and response.data["qr_payload"]


def test_booking_keeps_the_device_and_ip(network, api, applicant_user, booking_body):
    book(api, applicant_user, booking_body())
    booking = applicant_user.applicant_account.bookings.get()
    assert booking.device == "dev-api" and booking.ip == "127.0.0.1"


def test_invalid_nik_is_400_naming_the_rule(network, api, applicant_user, booking_body):
    response = book(api, applicant_user, booking_body(nik="3100011705900001"))
    assert response.status_code == 400
    assert response.data["code"] == "nik_invalid" and response.data["rule"] == "regency"
    assert "3100011705900001" not in str(response.data)


def test_nik_and_birth_date_disagreeing_is_400(network, api, applicant_user, booking_body):
    response = book(api, applicant_user, booking_body(birth_date="1990-05-18"))
    assert response.status_code == 400 and response.data["code"] == "nik_birth_date_mismatch"


def test_full_slot_is_409(network, api, applicant_user, booking_body, day):
    capacity_change(actor=network.head_a, office=network.kanim_a, service_date=day, slot_time=dt.time(8, 0),
                    capacity=0, reason="training")
    response = book(api, applicant_user, booking_body())
    assert response.status_code == 409 and response.data["code"] == "slot_full"


def test_nik_with_an_active_booking_is_409_with_that_code_only(
        network, api, applicant_user, other_applicant_user, booking_body):
    first = book(api, applicant_user, booking_body(serial=3)).data
    response = book(api, other_applicant_user, booking_body(serial=3, slot="09:00"))
    assert response.status_code == 409
    assert response.data == {"code": "nik_has_active_booking", "detail": response.data["detail"],
                             "booking_code": first["code"]}


def test_account_cap_is_409(network, api, applicant_user, booking_body):
    for serial in range(1, 6):
        assert book(api, applicant_user, booking_body(serial=serial)).status_code == 201
    response = book(api, applicant_user, booking_body(serial=6))
    assert response.status_code == 409 and response.data["code"] == "account_cap_reached"


def test_rate_limited_is_429_with_retry_after(network, api, applicant_user, booking_body, settings):
    settings.BOOKING_RATE_PER_DEVICE = 1
    book(api, applicant_user, booking_body(serial=1))
    response = book(api, applicant_user, booking_body(serial=2))
    assert response.status_code == 429 and response.data["code"] == "rate_limited"
    assert 0 < int(response["Retry-After"]) <= settings.BOOKING_RATE_WINDOW_SECONDS


def test_date_not_released_is_409_with_when_it_opens(network, api, applicant_user, booking_body, day):
    response = book(api, applicant_user, booking_body(date=(day + dt.timedelta(days=30)).isoformat()))
    assert response.status_code == 409 and response.data["code"] == "slot_not_released"
    assert response.data["opens_at"]


def test_slot_in_the_past_is_400(network, api, applicant_user, booking_body, day):
    response = book(api, applicant_user, booking_body(date=(day - dt.timedelta(days=10)).isoformat()))
    assert response.status_code == 400 and response.data["code"] == "slot_in_past"


def test_bad_fields_are_400_per_field_and_recorded(network, api, applicant_user, booking_body):
    response = book(api, applicant_user, booking_body(phone="12345", service="EXPRESS"))
    assert response.status_code == 400 and set(response.data) == {"phone", "service"}
    assert Event.objects.get(action="BOOK_REFUSED").details["reason"] == "invalid_input"


def test_applicant_lists_only_own_bookings(network, api, applicant_user, other_applicant_user, booking_body):
    book(api, applicant_user, booking_body(serial=1))
    book(api, other_applicant_user, booking_body(serial=2))
    codes = [b["name"] for b in api.as_user(applicant_user).get(URL).data["results"]]
    assert codes == ["Pemohon 1"]


def test_another_accounts_booking_is_404(network, api, applicant_user, other_applicant_user, booking_body):
    code = book(api, applicant_user, booking_body()).data["code"]
    assert api.as_user(other_applicant_user).get(f"{URL}{code}/").status_code == 404
    assert api.as_user(other_applicant_user).post(f"{URL}{code}/cancel/").status_code == 404


def test_staff_have_no_applicant_bookings(network, api, applicant_user, booking_body):
    code = book(api, applicant_user, booking_body()).data["code"]
    assert api.as_user(network.head_a).get(f"{URL}{code}/").status_code == 404


def test_applicant_cancels_through_the_api(network, api, applicant_user, booking_body):
    code = book(api, applicant_user, booking_body()).data["code"]
    response = api.as_user(applicant_user).post(f"{URL}{code}/cancel/")
    assert response.status_code == 200 and response.data["status"] == "CANCELLED"


def test_cancel_after_cutoff_is_409(network, api, applicant_user, booking_body, settings):
    code = book(api, applicant_user, booking_body()).data["code"]
    settings.BOOKING_CANCEL_CUTOFF_HOURS = 24 * 10
    response = api.as_user(applicant_user).post(f"{URL}{code}/cancel/")
    assert response.status_code == 409 and response.data["code"] == "change_cutoff_passed"


def test_applicant_reschedules_through_the_api(network, api, applicant_user, booking_body, day):
    code = book(api, applicant_user, booking_body()).data["code"]
    response = api.as_user(applicant_user).post(f"{URL}{code}/reschedule/",
                                                {"date": day.isoformat(), "slot": "10:30"})
    assert response.status_code == 200 and response.data["slot"] == "10:30"


def test_availability_shows_free_places(network, api, applicant_user, booking_body, day):
    book(api, applicant_user, booking_body())
    response = api.as_user(applicant_user).get("/api/v1/availability/",
                                               {"office": "KANIM-A", "date": day.isoformat()})
    assert response.status_code == 200
    assert response.data[0] == {"starts_at": "08:00", "ends_at": "08:30", "available": 6}


def test_unsigned_client_cannot_book(network, api, booking_body):
    assert api.post(URL, booking_body()).status_code in (401, 403)


def test_availability_of_a_date_not_on_sale_is_empty_and_makes_no_rows(network, api, applicant_user, day):
    from bookings.models import Slot

    far = (day + dt.timedelta(days=400)).isoformat()
    response = api.as_user(applicant_user).get("/api/v1/availability/", {"office": "KANIM-A", "date": far})
    assert response.status_code == 200 and response.data == []
    assert not Slot.objects.filter(service_date=far).exists()
