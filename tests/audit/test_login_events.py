from audit.models import Event
from tests.builders import PASSWORD


def test_staff_login_logout_and_failure_are_recorded(network, client):
    user = network.officer_a
    assert client.post("/login/", {"username": user.username, "password": "wrong"}).status_code == 200
    assert client.post("/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    client.post("/logout/")
    actions = list(Event.objects.filter(actor_id=user.staff.nip,
                                        action__startswith="STAFF_LOG").order_by("id")
                   .values_list("action", flat=True))
    assert actions == ["STAFF_LOGIN_FAILED", "STAFF_LOGIN", "STAFF_LOGOUT"]
    login = Event.objects.get(action="STAFF_LOGIN", actor_id=user.staff.nip)
    assert login.actor_role == "OFFICER" and login.office_id == network.kanim_a.pk
    assert login.ip == "127.0.0.1" and login.request_id


def test_failed_login_for_unknown_name_keeps_no_name(db, client):
    client.post("/login/", {"username": "my-secret-password", "password": "x"})
    event = Event.objects.get(action="STAFF_LOGIN_FAILED")
    assert event.actor_type == "anonymous"
    assert "my-secret-password" not in str(event.details)
