"""The allowlist page: add with a reason, refuse a duplicate, remove; every change audited."""

from __future__ import annotations

from audit.detection.models import AllowlistEntry
from audit.models import Event


def test_an_auditor_adds_and_removes_an_entry_through_the_page(network, as_user):
    client = as_user(network.auditor)
    response = client.post("/findings/allowlist/", {"kind": "agency_license", "value": "PPIU-123",
                                                    "reason": "Licensed umrah agency."})
    assert response.status_code == 302
    entry = AllowlistEntry.objects.get()
    assert (entry.kind, entry.value, entry.added_by) == ("agency_license", "PPIU-123", network.auditor)
    assert "PPIU-123" in client.get("/findings/allowlist/").content.decode()

    assert client.post(f"/findings/allowlist/{entry.pk}/remove/").status_code == 302
    entry.refresh_from_db()
    assert entry.removed_at is not None
    actions = list(Event.objects.filter(target_type="allowlist", target_id=str(entry.pk)).order_by("id")
                   .values_list("action", "actor_id"))
    nip = network.auditor.staff.nip
    assert actions == [("ALLOWLIST_ADD", nip), ("ALLOWLIST_REMOVE", nip)]


def test_a_phone_is_stored_normalised(network, as_user):
    as_user(network.auditor).post("/findings/allowlist/", {"kind": "phone", "value": "0812-1111-2222",
                                                           "reason": "Family phone."})
    assert AllowlistEntry.objects.get().value == "6281211112222"


def test_a_value_already_on_the_list_is_refused_with_the_services_message(network, as_user):
    client = as_user(network.auditor)
    data = {"kind": "email", "value": "agen@example.invalid", "reason": "Agency."}
    client.post("/findings/allowlist/", data)
    response = client.post("/findings/allowlist/", data)
    assert response.status_code == 409
    assert "This value is already on the allowlist." in response.content.decode()
    assert Event.objects.filter(action="ALLOWLIST_ADD").count() == 1


def test_an_entry_without_a_reason_is_refused_beside_the_field(network, as_user):
    response = as_user(network.auditor).post("/findings/allowlist/", {"kind": "ip", "value": "10.0.0.1",
                                                                      "reason": ""})
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    assert not AllowlistEntry.objects.exists()


def test_removing_twice_says_it_was_already_removed(network, as_user):
    client = as_user(network.auditor)
    client.post("/findings/allowlist/", {"kind": "device", "value": "dev-1", "reason": "Office kiosk."})
    entry = AllowlistEntry.objects.get()
    client.post(f"/findings/allowlist/{entry.pk}/remove/")
    response = client.post(f"/findings/allowlist/{entry.pk}/remove/", follow=True)
    assert "This entry was already removed." in response.content.decode()
    assert Event.objects.filter(action="ALLOWLIST_REMOVE").count() == 1


def test_an_office_head_cannot_add_to_the_allowlist(network, as_user):
    response = as_user(network.head_a).post("/findings/allowlist/", {"kind": "ip", "value": "10.0.0.1",
                                                                      "reason": "x"})
    assert response.status_code == 404 and not AllowlistEntry.objects.exists()


def test_the_allowlist_page_costs_a_fixed_number_of_queries(network, as_user, django_assert_max_num_queries):
    client = as_user(network.auditor)
    for index in range(30):
        client.post("/findings/allowlist/", {"kind": "ip", "value": f"10.0.0.{index}", "reason": "Office."})
    for entry in AllowlistEntry.objects.all()[:10]:
        client.post(f"/findings/allowlist/{entry.pk}/remove/")
    with django_assert_max_num_queries(10):
        response = client.get("/findings/allowlist/")
    assert len(response.context["entries"]) == 20 and len(response.context["removed"]) == 10
