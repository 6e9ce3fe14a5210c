"""The admin writes detector settings and the allowlist through the audited services."""

from audit.detection.models import AllowlistEntry, DetectorSetting
from audit.detection.services import detector_settings_sync
from audit.models import Event
from tests.pages.conftest import sign_in


def test_changing_a_threshold_in_the_admin_is_audited(client, network):
    detector_settings_sync()
    setting = DetectorSetting.objects.get(detector="bots")
    sign_in(client, network.admin)
    response = client.post(f"/admin/detection/detectorsetting/{setting.pk}/change/",
                           {"enabled": "on", "params": '{"peak_hour_min": 15}'})
    assert response.status_code == 302
    setting.refresh_from_db()
    assert setting.params == {"peak_hour_min": 15}
    assert Event.objects.get(action="DETECTOR_SETTING_CHANGE").details["changes"] == \
        {"params.peak_hour_min": {"old": None, "new": 15}}


def test_an_unknown_parameter_is_shown_on_the_field(client, network):
    detector_settings_sync()
    setting = DetectorSetting.objects.get(detector="bots")
    sign_in(client, network.admin)
    response = client.post(f"/admin/detection/detectorsetting/{setting.pk}/change/",
                           {"enabled": "on", "params": '{"speed": 1}'})
    assert response.status_code == 200
    assert "speed" in str(response.context["adminform"].form.errors["params"])
    assert not Event.objects.filter(action="DETECTOR_SETTING_CHANGE").exists()


def test_adding_to_the_allowlist_in_the_admin_is_audited(client, network):
    sign_in(client, network.admin)
    response = client.post("/admin/detection/allowlistentry/add/",
                           {"kind": "agency_license", "value": "PPIU-1", "reason": "Licensed agency"})
    assert response.status_code == 302
    assert AllowlistEntry.objects.get().value == "PPIU-1"
    assert Event.objects.filter(action="ALLOWLIST_ADD").count() == 1
