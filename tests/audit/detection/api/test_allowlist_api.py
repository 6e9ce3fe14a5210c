from audit.models import Event

URL = "/api/v1/detection/allowlist/"


def test_an_auditor_adds_and_removes_an_allowlist_entry(api, network):
    client = api.as_user(network.auditor)
    created = client.post(URL, {"kind": "agency_license", "value": "PPIU-77", "reason": "Licensed umrah agency"})
    assert created.status_code == 201
    assert [row["value"] for row in client.get(URL).data["results"]] == ["PPIU-77"]
    assert client.delete(f"{URL}{created.data['id']}/").status_code == 204
    assert client.get(URL).data["count"] == 0
    assert list(Event.objects.filter(action__startswith="ALLOWLIST").values_list("action", flat=True)
                .order_by("id")) == ["ALLOWLIST_ADD", "ALLOWLIST_REMOVE"]


def test_an_unknown_kind_is_refused_with_its_field(api, network):
    response = api.as_user(network.auditor).post(URL, {"kind": "shoe", "value": "x", "reason": "y"})
    assert response.status_code == 400 and "kind" in response.data


def test_an_office_head_cannot_touch_the_allowlist(api, network):
    response = api.as_user(network.head_a).post(URL, {"kind": "phone", "value": "0812", "reason": "y"})
    assert response.status_code == 404
