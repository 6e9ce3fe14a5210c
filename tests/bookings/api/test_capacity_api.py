URL = "/api/v1/capacity/"


def test_officer_sees_the_days_slots(network, api, day):
    response = api.as_user(network.officer_a).get(URL, {"office": "KANIM-A", "date": day.isoformat()})
    assert response.status_code == 200 and len(response.data) == 16
    assert response.data[0]["capacity"] == 7 and response.data[0]["booked"] == 0


def test_capacity_of_another_office_is_404(network, api, day):
    response = api.as_user(network.officer_b).get(URL, {"office": "KANIM-A", "date": day.isoformat()})
    assert response.status_code == 404


def test_head_changes_a_slot(network, api, day):
    response = api.as_user(network.head_a).post(URL, {"office": "KANIM-A", "date": day.isoformat(),
                                                      "slot": "08:00", "capacity": 20, "reason": "extra desk"})
    assert response.status_code == 200 and response.data[0]["capacity"] == 20


def test_officer_may_not_change_capacity(network, api, day):
    response = api.as_user(network.officer_a).post(URL, {"office": "KANIM-A", "date": day.isoformat(),
                                                         "capacity": 20, "reason": "x"})
    assert response.status_code == 403


def test_head_of_another_office_gets_404(network, api, day):
    response = api.as_user(network.head_b).post(URL, {"office": "KANIM-A", "date": day.isoformat(),
                                                      "capacity": 20, "reason": "x"})
    assert response.status_code == 404


def test_head_closes_and_reopens_a_day(network, api, day):
    client = api.as_user(network.head_a)
    closed = client.post(f"{URL}closures/", {"office": "KANIM-A", "date": day.isoformat(), "reason": "Nyepi"})
    reopened = client.delete(f"{URL}closures/", {"office": "KANIM-A", "date": day.isoformat()})
    assert closed.status_code == 200 and all(s["closed"] for s in closed.data)
    assert reopened.status_code == 200 and not any(s["closed"] for s in reopened.data)


def test_schema_documents_the_booking_endpoints(db, api, network):
    schema = api.as_user(network.admin).get("/api/v1/schema/", {"format": "json"}).json()
    assert {"/api/v1/my/bookings/", "/api/v1/bookings/", "/api/v1/capacity/", "/api/v1/walk-ins/",
            "/api/v1/accounts/register/"} <= set(schema["paths"])
