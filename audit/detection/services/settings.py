"""Detector settings: thresholds and windows kept in the database, every change audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.trail import actor_for_user, changes_between, event_record
from offices.access import Capability, require
from passport_portal.request_meta import NO_REQUEST, RequestMeta

from ..models import DetectorSetting


def _defaults(detector: str) -> dict[str, Any]:
    from ..registry import DETECTORS

    if detector not in DETECTORS:
        raise ValidationError({"detector": [_("No detector is called %(name)s.") % {"name": detector}]})
    return DETECTORS[detector].defaults


def detector_settings_sync() -> None:
    """Make sure every detector has its settings row (so the admin lists them all)."""
    from ..registry import DETECTORS

    DetectorSetting.objects.bulk_create(
        [DetectorSetting(detector=name) for name in DETECTORS], ignore_conflicts=True)


def detector_params(detector: str, stored: DetectorSetting | None) -> dict[str, Any]:
    """The detector's defaults overlaid with what is stored."""
    params = dict(_defaults(detector))
    if stored is not None:
        params.update({k: v for k, v in stored.params.items() if k in params})
    return params


def detector_params_validate(detector: str, params: Any) -> dict[str, Any]:
    """The parameters, checked against the detector's defaults: known names, the same types, not negative."""
    defaults = _defaults(detector)
    if not isinstance(params, dict):
        raise ValidationError({"params": [_("Parameters are an object of names and values.")]})
    errors: list[str] = []
    for key, value in params.items():
        if key not in defaults:
            errors.append(_("%(key)s: this detector has no such parameter.") % {"key": key})
            continue
        default = defaults[key]
        if isinstance(default, bool):
            if not isinstance(value, bool):
                errors.append(_("%(key)s: must be true or false.") % {"key": key})
        elif isinstance(default, int | float):
            if isinstance(value, bool) or not isinstance(value, int | float):
                errors.append(_("%(key)s: must be a number.") % {"key": key})
            elif value < 0:
                errors.append(_("%(key)s: cannot be negative.") % {"key": key})
            elif isinstance(default, int) and not isinstance(value, int):
                errors.append(_("%(key)s: must be a whole number.") % {"key": key})
        elif type(value) is not type(default):
            errors.append(_("%(key)s: must be a %(type)s.") % {"key": key, "type": type(default).__name__})
    if errors:
        raise ValidationError({"params": errors})
    return params


def detector_setting_update(*, actor, detector: str, enabled: bool | None = None,
                            params: dict[str, Any] | None = None,
                            meta: RequestMeta = NO_REQUEST) -> DetectorSetting:
    """Change a detector's switch or parameters (auditors and the directorate); audited."""
    require(actor, Capability.AUDIT, None)
    if params is not None:
        params = detector_params_validate(detector, params)
    else:
        _defaults(detector)
    with transaction.atomic():
        setting, _created = DetectorSetting.objects.select_for_update().get_or_create(detector=detector)
        before = {"enabled": setting.enabled, **{f"params.{k}": v for k, v in setting.params.items()}}
        if enabled is not None:
            setting.enabled = enabled
        if params is not None:
            setting.params = params
        setting.save()
        after = {"enabled": setting.enabled, **{f"params.{k}": v for k, v in setting.params.items()}}
        diff = changes_between(before, after)
        if diff:
            event_record(actor=actor_for_user(actor), action=Action.DETECTOR_SETTING_CHANGE,
                         target_type="detector", target_id=detector, details={"changes": diff},
                         meta=meta)
    return setting
