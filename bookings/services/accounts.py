"""Applicant accounts: registration, and finding the account behind a signed-in user."""

from __future__ import annotations

import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action, ActorType
from audit.trail import Actor, event_record
from bookings.models import Account
from bookings.phones import phone_normalise
from offices.errors import NotAllowed
from passport_portal.request_meta import NO_REQUEST, RequestMeta


def account_actor(account: Account) -> Actor:
    """The trail's actor for an applicant account (no query needed)."""
    return Actor(type=ActorType.ACCOUNT, id=account.ref, user_id=account.user_id)


def account_of(user) -> Account:
    """The applicant account of a signed-in user; refuses staff and anonymous users (403)."""
    account = None
    if user is not None and getattr(user, "is_authenticated", False):
        try:
            account = user.applicant_account
        except Account.DoesNotExist:
            account = None
    if account is None:
        raise NotAllowed(_("Only applicant accounts may do this."), code="not_an_applicant")
    return account


def account_register(*, email: str, phone: str, password: str, device: str = "",
                     agency_license: str = "",
                     meta: RequestMeta = NO_REQUEST) -> Account:
    """Open an applicant account with a login (the e-mail address) and record ACCOUNT_REGISTER.

    The registering person is not signed in yet, so the account itself is the actor. The
    address and device fingerprint at registration are kept: detection groups accounts by them.
    """
    errors: dict[str, list[str]] = {}
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Give a valid e-mail address.")]
    try:
        phone = phone_normalise(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    user_model = get_user_model()
    try:
        validate_password(password, user_model(username=email, email=email))
    except ValidationError as exc:
        errors["password"] = exc.messages
    device = (device or "").strip()[:128]
    agency_license = (agency_license or "").strip()
    if agency_license and len(agency_license) > 64:
        errors["agency_license"] = [_("A licence number has at most 64 characters.")]
    if "email" not in errors and user_model.objects.filter(username=email).exists():
        errors["email"] = [_("An account with this e-mail address exists.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            user = user_model(username=email, email=email)
            user.set_password(password)
            user.save()
            account = Account.objects.create(
                user=user, ref=f"acc_{uuid.uuid4().hex}", email=email, phone=phone,
                registration_ip=meta.ip, registration_device=device,
                agency_license=agency_license, created_at=timezone.now(),
            )
            event_record(
                actor=account_actor(account), action=Action.ACCOUNT_REGISTER,
                target_type="account", target_id=account.ref,
                details={"device": device or None, "agency_license": agency_license or None}, meta=meta,
            )
    except IntegrityError as exc:  # the same address registered concurrently
        raise ValidationError({"email": [_("An account with this e-mail address exists.")]}) from exc
    return account
