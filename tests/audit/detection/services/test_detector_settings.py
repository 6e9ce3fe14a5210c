import pytest
from django.core.exceptions import ValidationError

from audit.detection.models import DetectorSetting
from audit.detection.services import detector_params, detector_setting_update
from audit.models import Event
from offices.errors import NotAllowed


def test_changing_a_threshold_is_stored_and_audited(network):
    setting = detector_setting_update(actor=network.auditor, detector="bots", params={"peak_hour_min": 20})
    assert detector_params("bots", setting)["peak_hour_min"] == 20
    event = Event.objects.get(action="DETECTOR_SETTING_CHANGE", target_id="bots")
    assert event.details["changes"] == {"params.peak_hour_min": {"old": None, "new": 20}}


def test_switching_a_detector_off_is_audited(network):
    detector_setting_update(actor=network.auditor, detector="bots", enabled=False)
    assert DetectorSetting.objects.get(detector="bots").enabled is False
    assert Event.objects.get(action="DETECTOR_SETTING_CHANGE").details["changes"]["enabled"] == \
        {"old": True, "new": False}


def test_an_unknown_parameter_is_refused(network):
    with pytest.raises(ValidationError) as error:
        detector_setting_update(actor=network.auditor, detector="bots", params={"speed": 3})
    assert "speed" in error.value.message_dict["params"][0]


def test_a_parameter_of_the_wrong_type_is_refused(network):
    with pytest.raises(ValidationError):
        detector_setting_update(actor=network.auditor, detector="bots", params={"peak_hour_min": "many"})


def test_an_unknown_detector_is_refused(network):
    with pytest.raises(ValidationError) as error:
        detector_setting_update(actor=network.auditor, detector="nothing", enabled=False)
    assert "detector" in error.value.message_dict


def test_an_officer_cannot_change_settings(network):
    with pytest.raises(NotAllowed):
        detector_setting_update(actor=network.officer_a, detector="bots", enabled=False)
