"""The second factor (TOTP) for people whose reach is network-wide: enrolment and verification.

Supervisors and auditors see the whole network, so a stolen password alone must not open it
(offices/access.py, ``SECOND_FACTOR_ROLES``). These are the writes behind the 2FA pages and the
API token endpoint; each records its audit event in its own transaction. Signing the session
in as verified (``django_otp.login``) is the page's job, because it needs the request.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.actions import Action
from audit.trail import actor_for_user, event_record
from passport_portal.request_meta import NO_REQUEST, RequestMeta

from .access import SystemActor
from .errors import NotAllowed

DEVICE_NAME = "portal"


def confirmed_device(user) -> TOTPDevice | None:
    """The user's confirmed TOTP device, or None while they have not enrolled."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_device_prepare(*, actor) -> TOTPDevice:
    """The unconfirmed device whose secret the setup page shows (made once, then reused).

    Not audited on its own: an unconfirmed device opens nothing; its confirmation is recorded.
    """
    device, _created = TOTPDevice.objects.get_or_create(
        user=actor, confirmed=False, defaults={"name": DEVICE_NAME},
    )
    return device


def _check(*, actor, device: TOTPDevice, token: str, success: Action, meta: RequestMeta) -> bool:
    token = (token or "").strip().replace(" ", "")
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        ok = token.isdigit() and device.verify_token(token)
        if ok and not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        event_record(actor=actor_for_user(actor), action=success if ok else Action.SECOND_FACTOR_FAILED,
                     target_type="user", target_id=str(actor.pk), meta=meta)
    return bool(ok)


def totp_device_confirm(*, actor, token: str, meta: RequestMeta = NO_REQUEST) -> TOTPDevice | None:
    """Confirm the prepared device with a first code from the app; None when the code is wrong."""
    device = totp_device_prepare(actor=actor)
    with transaction.atomic():
        if not _check(actor=actor, device=device, token=token,
                      success=Action.SECOND_FACTOR_ENROLL, meta=meta):
            return None
        # Any older device is retired: one phone holds the secret.
        TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    device.refresh_from_db()
    return device


def second_factor_verify(*, actor, token: str, meta: RequestMeta = NO_REQUEST) -> TOTPDevice | None:
    """Check a code against the confirmed device; None when there is none or the code is wrong.

    django-otp throttles a device after failures (growing delays), so guessing is slow.
    """
    device = confirmed_device(actor)
    if device is None:
        return None
    if not _check(actor=actor, device=device, token=token, success=Action.SECOND_FACTOR_VERIFY,
                  meta=meta):
        return None
    device.refresh_from_db()
    return device


DEMO_DEVICE_NAME = "demo"


def totp_device_install(*, actor, user, key_hex: str, name: str = DEMO_DEVICE_NAME,
                        meta: RequestMeta = NO_REQUEST) -> TOTPDevice:
    """Give ``user`` a confirmed device with a known secret (the demo's printed logins).

    Only the system itself may do this (a command), never a page: a known secret is no factor.
    """
    if not isinstance(actor, SystemActor):
        raise NotAllowed(_("Only the system installs known second-factor secrets."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(name=name).delete()
        device, _created = TOTPDevice.objects.update_or_create(
            user=user, name=name, defaults={"key": key_hex, "confirmed": True},
        )
        event_record(actor=actor_for_user(actor), action=Action.SECOND_FACTOR_ENROLL,
                     target_type="user", target_id=str(user.pk), details={"device": name}, meta=meta)
    return device
