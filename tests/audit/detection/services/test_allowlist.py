import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from audit.detection.services import allowlist_add, allowlist_current, allowlist_remove
from audit.models import Event
from offices.errors import Conflict, NotAllowed


def test_adding_to_the_allowlist_is_audited_and_normalised(network):
    entry = allowlist_add(actor=network.auditor, kind="phone", value="0812-3456-7890", reason="Family")
    assert entry.value == "6281234567890"
    event = Event.objects.get(action="ALLOWLIST_ADD")
    assert event.details == {"kind": "phone", "value": "6281234567890", "reason": "Family"}
    assert allowlist_current().phones == ["6281234567890"]


def test_an_entry_needs_a_reason(network):
    with pytest.raises(ValidationError) as error:
        allowlist_add(actor=network.auditor, kind="account", value="acc-1", reason=" ")
    assert "reason" in error.value.message_dict


def test_an_officer_cannot_change_the_allowlist(network):
    with pytest.raises(NotAllowed):
        allowlist_add(actor=network.officer_a, kind="account", value="acc-1", reason="mine")


def test_the_same_value_is_not_allowed_twice(network):
    allowlist_add(actor=network.auditor, kind="account", value="acc-1", reason="Agency")
    with pytest.raises(Conflict):
        allowlist_add(actor=network.auditor, kind="account", value="acc-1", reason="Again")


def test_the_database_refuses_a_second_active_entry(network):
    allowlist_add(actor=network.auditor, kind="device", value="d-1", reason="Office kiosk")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO detection_allowlistentry (kind, value, reason, added_at) "
                       "VALUES ('device', 'd-1', 'again', now())")


def test_removing_keeps_the_entry_in_history_and_is_audited(network):
    entry = allowlist_add(actor=network.auditor, kind="ip", value="36.68.0.1", reason="Carrier NAT")
    entry = allowlist_remove(actor=network.auditor, entry=entry)
    assert entry.removed_at is not None
    assert allowlist_current().ips == []
    assert Event.objects.filter(action="ALLOWLIST_REMOVE", target_id=str(entry.pk)).exists()
