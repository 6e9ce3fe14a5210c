from audit.models import Event


def test_create_unit_without_parent_is_400_on_parent(network, api):
    response = api.as_user(network.supervisor).post("/api/v1/offices/", {
        "code": "ULP-NEW", "name": "ULP New", "type": "ULP", "region": "31", "timezone": "Asia/Jakarta",
    }, format="json")
    assert response.status_code == 400
    assert "parent" in response.json()
    assert not Event.objects.filter(target_id="ULP-NEW").exists()


def test_create_office_with_unknown_type_and_zone_names_both_fields(network, api):
    response = api.as_user(network.supervisor).post("/api/v1/offices/", {
        "code": "X", "name": "X", "type": "PALACE", "region": "31", "timezone": "Mars/Olympus",
    }, format="json")
    assert response.status_code == 400
    assert {"type", "timezone"} <= set(response.json())


def test_supervisor_creates_a_unit(network, api):
    response = api.as_user(network.supervisor).post("/api/v1/offices/", {
        "code": "MPP-NEW", "name": "MPP New", "type": "MPP", "parent": "KANIM-A", "region": "31",
        "timezone": "Asia/Jakarta", "opens_at": "10:00", "closes_at": "20:00",
    }, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["parent"] == "KANIM-A"
    assert Event.objects.get(action="OFFICE_CREATE", target_id="MPP-NEW").actor_id == network.supervisor.staff.nip


def test_staff_with_17_digit_nip_is_400_on_nip(network, api):
    response = api.as_user(network.head_a).post("/api/v1/staff/", {"nip": "19820315200604200", "name": "X"},
                                                format="json")
    assert response.status_code == 400
    assert "18 digits" in response.json()["nip"][0]


def test_offices_filter_by_type_province_and_parent(network, api):
    client = api.as_user(network.supervisor)
    by_type = client.get("/api/v1/offices/", {"type": "ULP"}).json()["results"]
    by_parent = client.get("/api/v1/offices/", {"parent": "KANIM-A"}).json()["results"]
    by_province = client.get("/api/v1/offices/", {"province": "73"}).json()["results"]
    assert [o["code"] for o in by_type] == ["ULP-A1"]
    assert [o["code"] for o in by_parent] == ["ULP-A1"]
    assert [o["code"] for o in by_province] == ["KANIM-B"]


def test_staff_filter_by_office_and_role(network, api):
    client = api.as_user(network.supervisor)
    results = client.get("/api/v1/staff/", {"office": "KANIM-A", "role": "OFFICER"}).json()["results"]
    assert [s["nip"] for s in results] == [network.officer_a.staff.nip]


def test_ordering_and_page_size(network, api):
    body = api.as_user(network.supervisor).get("/api/v1/offices/", {"ordering": "-code", "page_size": 2}).json()
    assert body["count"] == 3
    assert [o["code"] for o in body["results"]] == ["ULP-A1", "KANIM-B"]


def test_token_login(network, api):
    from tests.builders import PASSWORD

    response = api.post("/api/v1/auth/token/", {"username": network.officer_a.username, "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").json()["roles"] == ["OFFICER"]


def test_me_reports_capabilities(network, api):
    body = api.as_user(network.head_a).get("/api/v1/me/").json()
    assert body["roles"] == ["OFFICE_HEAD"]
    assert set(body["capabilities"]["manage"]) == {network.kanim_a.pk, network.unit_a.pk}
    assert body["capabilities"]["audit"] == []


def test_schema_and_offline_docs(network, api, client):
    schema = api.as_user(network.supervisor).get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/offices/" in schema.content
    client.force_login(network.supervisor)
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html and "cdn" not in html.lower() and "https://" not in html
