"""The admin writes through the services: every change is validated and audited."""

from audit.models import Event
from offices.models import Office
from tests.pages.conftest import sign_in


def _office_form(**overrides):
    form = {
        "code": "KANIM-ADM", "name": "Kanim Admin", "type": "KANIM", "parent": "", "region": "",
        "city": "Bogor", "timezone": "Asia/Jakarta", "address": "", "opens_at": "08:00",
        "closes_at": "16:00", "daily_quota": "90", "is_active": "on", "details": "{}",
    }
    form.update(overrides)
    return form


def test_admin_creates_office_through_the_service(network, client):
    sign_in(client, network.admin)
    form = _office_form(region=str(network.kanim_a.region_id))
    response = client.post("/admin/offices/office/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    office = Office.objects.get(code="KANIM-ADM")
    event = Event.objects.get(action="OFFICE_CREATE", target_id="KANIM-ADM")
    assert event.office_id == office.pk and event.actor_id == "admin:root"


def test_admin_refuses_unit_without_parent_and_writes_nothing(network, client):
    sign_in(client, network.admin)
    form = _office_form(code="ULP-ADM", type="ULP", region=str(network.kanim_a.region_id))
    response = client.post("/admin/offices/office/add/", form)
    assert response.status_code == 200
    assert "parent" in response.content.decode().lower()
    assert not Office.objects.filter(code="ULP-ADM").exists()
    assert not Event.objects.filter(target_id="ULP-ADM").exists()


def test_admin_change_records_the_difference(network, client):
    sign_in(client, network.admin)
    office = network.kanim_b
    form = _office_form(code=office.code, name=office.name, region=str(office.region_id),
                        timezone=office.timezone, daily_quota="55", city=office.city)
    response = client.post(f"/admin/offices/office/{office.pk}/change/", form)
    assert response.status_code == 302
    event = Event.objects.get(action="OFFICE_UPDATE", target_id=office.code)
    assert event.details["changes"]["daily_quota"] == {"old": 100, "new": 55}


def test_admin_refuses_unit_under_unit_as_a_field_error(network, client):
    sign_in(client, network.admin)
    form = _office_form(code="ULP-ADM", type="ULP", parent=str(network.unit_a.pk),
                        region=str(network.kanim_a.region_id))
    response = client.post("/admin/offices/office/add/", form)
    assert response.status_code == 200
    assert "must be a Kanim" in response.content.decode()
    assert not Office.objects.filter(code="ULP-ADM").exists()


def test_a_superuser_must_pass_the_second_factor_before_the_admin_opens(network, client):
    client.force_login(network.admin)
    response = client.get("/admin/offices/office/")
    assert response.status_code == 302 and response["Location"].startswith("/account/two-factor/")
    sign_in(client, network.admin)
    assert client.get("/admin/offices/office/").status_code == 200
