"""Writes to the office network: offices, staff and their postings.

Each service checks access, validates, writes inside its own transaction and records its
audit event in that same transaction. API views, admin and commands all call these.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.trail import actor_for_user, changes_between, event_record
from passport_portal.request_meta import NO_REQUEST, RequestMeta

from .access import Capability, require, scope_for
from .choices import UNIT_TYPES, OfficeType, Role
from .errors import NotAllowed
from .models import Assignment, Office, Region, StaffProfile

OFFICE_FIELDS = (
    "code", "name", "type", "parent", "region", "city", "timezone", "address",
    "opens_at", "closes_at", "daily_quota", "is_active", "is_sample", "details",
)
# Postings that only the directorate may make: they reach beyond one office.
SENIOR_ROLES = frozenset({Role.SUPERVISOR, Role.AUDITOR, Role.OFFICE_HEAD})


def _office_snapshot(office: Office) -> dict[str, Any]:
    return {
        "code": office.code, "name": office.name, "type": office.type,
        "parent": office.parent.code if office.parent_id else None,
        "region": office.region.code, "city": office.city, "timezone": office.timezone,
        "address": office.address, "opens_at": office.opens_at.strftime("%H:%M"),
        "closes_at": office.closes_at.strftime("%H:%M"), "daily_quota": office.daily_quota,
        "is_active": office.is_active,
    }


def office_validate(office: Office) -> None:
    """Model validation plus the network's shape, with a message per field.

    Used by the services before writing and by forms (admin, pages) to show errors in place.
    """
    errors: dict[str, list[str]] = {}
    try:
        office.full_clean(validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if office.type == OfficeType.KANIM and office.parent_id is not None:
        errors.setdefault("parent", []).append(_("A Kanim has no parent office."))
    if office.type in UNIT_TYPES:
        if office.parent_id is None:
            errors.setdefault("parent", []).append(
                _("A %(type)s must hang under a Kanim.") % {"type": office.type})
        elif office.parent.type != OfficeType.KANIM:
            errors.setdefault("parent", []).append(_("The parent office must be a Kanim."))
        elif office.pk is not None and office.parent_id == office.pk:
            errors.setdefault("parent", []).append(_("An office cannot be its own parent."))
    if office.pk is not None and office.type in UNIT_TYPES and office.units.exists():
        errors.setdefault("type", []).append(_("An office with units must stay a Kanim."))
    if office.opens_at and office.closes_at and office.opens_at >= office.closes_at:
        errors.setdefault("closes_at", []).append(_("Closing time must be after opening time."))
    if errors:
        raise ValidationError(errors)


def office_create(*, actor, meta: RequestMeta = NO_REQUEST, **fields: Any) -> Office:
    """Add a Kanim or a unit to the network (directorate only)."""
    require(actor, Capability.DIRECT, None)
    unknown = set(fields) - set(OFFICE_FIELDS)
    if unknown:
        raise ValidationError({key: [_("Unknown field.")] for key in sorted(unknown)})
    office = Office(**fields)
    office_validate(office)
    with transaction.atomic():
        office.save()
        event_record(
            actor=actor_for_user(actor), action=Action.OFFICE_CREATE, office=office,
            target_type="office", target_id=office.code,
            details={"after": _office_snapshot(office)}, meta=meta,
        )
    return office


def office_update(*, actor, office: Office, meta: RequestMeta = NO_REQUEST,
                  **changes: Any) -> Office:
    """Change an office. Office heads may change their own office's hours, address and
    quota; the network's shape (type, parent, region, code) is the directorate's."""
    unknown = set(changes) - set(OFFICE_FIELDS)
    if unknown:
        raise ValidationError({key: [_("Unknown field.")] for key in sorted(unknown)})
    structural = {"code", "type", "parent", "region", "timezone", "is_active", "is_sample"}
    require(actor, Capability.DIRECT if structural & set(changes) else Capability.MANAGE, office.pk)
    with transaction.atomic():
        office = (Office.objects.select_for_update(of=("self",)).select_related("region", "parent")
                  .get(pk=office.pk))
        before = _office_snapshot(office)
        for key, value in changes.items():
            setattr(office, key, value)
        office_validate(office)
        office.save()
        diff = changes_between(before, _office_snapshot(office))
        if diff:
            event_record(
                actor=actor_for_user(actor, office=office), action=Action.OFFICE_UPDATE,
                office=office, target_type="office", target_id=office.code,
                details={"changes": diff}, meta=meta,
            )
    return office


def _holds_anywhere(user, capability: Capability) -> bool:
    return not scope_for(user, capability).is_empty


def staff_create(*, actor, nip: str, name: str, username: str | None = None,
                 password: str | None = None, email: str = "",
                 meta: RequestMeta = NO_REQUEST) -> StaffProfile:
    """Register a civil servant, with a login when ``username`` is given."""
    if not (_holds_anywhere(actor, Capability.MANAGE) or _holds_anywhere(actor, Capability.DIRECT)):
        raise NotAllowed(_("Your role does not allow registering staff."))
    profile = StaffProfile(nip=nip, name=name)
    errors: dict[str, list[str]] = {}
    try:
        profile.full_clean(exclude=["user"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    user_model = get_user_model()
    if username and user_model.objects.filter(username=username).exists():
        errors.setdefault("username", []).append(_("This username is taken."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if username:
            user = user_model(username=username, email=email)
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
            profile.user = user
        profile.save()
        event_record(
            actor=actor_for_user(actor), action=Action.STAFF_CREATE,
            target_type="staff", target_id=profile.nip,
            details={"name": name, "login": bool(username)}, meta=meta,
        )
    return profile


def assignment_create(*, actor, staff: StaffProfile, office: Office, role: str,
                      valid_from: dt.date, valid_until: dt.date | None = None,
                      meta: RequestMeta = NO_REQUEST) -> Assignment:
    """Post ``staff`` to ``office`` in ``role`` for a period that overlaps no other posting."""
    require(actor, Capability.DIRECT if role in SENIOR_ROLES else Capability.MANAGE, office.pk)
    assignment = Assignment(staff=staff, office=office, role=role,
                            valid_from=valid_from, valid_until=valid_until)
    try:
        assignment.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    try:
        with transaction.atomic():
            assignment.save()
            event_record(
                actor=actor_for_user(actor, office=office), action=Action.ASSIGNMENT_CREATE,
                office=office, target_type="staff", target_id=staff.nip,
                details={"role": role, "office": office.code, "from": valid_from,
                         "until": valid_until},
                meta=meta,
            )
    except IntegrityError as exc:  # a concurrent posting won the race for the same period
        raise ValidationError(
            {"valid_from": [_("This person already has an assignment in that period.")]}
        ) from exc
    return assignment


def assignment_end(*, actor, assignment: Assignment, valid_until: dt.date,
                   meta: RequestMeta = NO_REQUEST) -> Assignment:
    """End a posting on ``valid_until`` (inclusive); history is kept, never deleted."""
    senior = assignment.role in SENIOR_ROLES
    require(actor, Capability.DIRECT if senior else Capability.MANAGE, assignment.office_id)
    if valid_until < assignment.valid_from:
        raise ValidationError({"valid_until": [_("An assignment cannot end before it starts.")]})
    with transaction.atomic():
        before = assignment.valid_until
        assignment.valid_until = valid_until
        assignment.save(update_fields=["valid_until"])
        event_record(
            actor=actor_for_user(actor, office=assignment.office), action=Action.ASSIGNMENT_END,
            office=assignment.office_id, target_type="staff", target_id=assignment.staff.nip,
            details={"role": assignment.role, "until": {"old": before, "new": valid_until}},
            meta=meta,
        )
    return assignment


def region_get_or_create(*, code: str, name: str) -> Region:
    """Provinces are reference data, loaded with the network; not an audited action."""
    region, _created = Region.objects.get_or_create(code=code, defaults={"name": name})
    return region
