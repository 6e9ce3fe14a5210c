"""The allowlist auditors keep: accounts and identifiers judged legitimate, every change audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.trail import actor_for_user, event_record
from offices.access import Capability, require
from offices.errors import Conflict
from passport_portal.request_meta import NO_REQUEST, RequestMeta

from ..base import Allowlist
from ..choices import AllowlistKind
from ..models import AllowlistEntry


def _normalise(kind: str, value: str) -> str:
    value = value.strip()
    if kind == AllowlistKind.EMAIL:
        return value.lower()
    if kind == AllowlistKind.PHONE:
        digits = "".join(ch for ch in value if ch.isdigit())
        return "62" + digits[1:] if digits.startswith("0") else digits
    return value


def allowlist_add(*, actor, kind: str, value: str, reason: str,
                  meta: RequestMeta = NO_REQUEST) -> AllowlistEntry:
    """Exempt an account or identifier from detection, with the reason; audited."""
    require(actor, Capability.AUDIT, None)
    errors: dict[str, list[str]] = {}
    if kind not in AllowlistKind.values:
        errors["kind"] = [_("Unknown kind; one of %(kinds)s.") % {"kinds": ", ".join(AllowlistKind.values)}]
    if not isinstance(value, str) or not value.strip() or len(value) > 128:
        errors["value"] = [_("Give a value of 1 to 128 characters.")]
    if not isinstance(reason, str) or not reason.strip():
        errors["reason"] = [_("Say why this is legitimate.")]
    if errors:
        raise ValidationError(errors)
    value = _normalise(kind, value)
    try:
        with transaction.atomic():
            entry = AllowlistEntry.objects.create(kind=kind, value=value, reason=reason.strip(),
                                                  added_by=actor if actor.pk else None)
            event_record(actor=actor_for_user(actor), action=Action.ALLOWLIST_ADD,
                         target_type="allowlist", target_id=str(entry.pk),
                         details={"kind": kind, "value": value, "reason": entry.reason}, meta=meta)
    except IntegrityError:
        raise Conflict(_("This value is already on the allowlist."), code="already_allowed") from None
    return entry


def allowlist_remove(*, actor, entry: AllowlistEntry, meta: RequestMeta = NO_REQUEST) -> AllowlistEntry:
    """Take an entry off the allowlist (it stays in its history); audited."""
    require(actor, Capability.AUDIT, None)
    with transaction.atomic():
        removed = AllowlistEntry.objects.filter(pk=entry.pk, removed_at__isnull=True).update(
            removed_at=timezone.now())
        if not removed:
            raise Conflict(_("This entry was already removed."), code="already_removed")
        event_record(actor=actor_for_user(actor), action=Action.ALLOWLIST_REMOVE,
                     target_type="allowlist", target_id=str(entry.pk),
                     details={"kind": entry.kind, "value": entry.value}, meta=meta)
    entry.refresh_from_db()
    return entry


def allowlist_current() -> Allowlist:
    """The entries in force, grouped by kind for the detectors."""
    by_kind: dict[str, list[str]] = {kind: [] for kind in AllowlistKind.values}
    for kind, value in AllowlistEntry.objects.filter(removed_at__isnull=True).values_list("kind", "value"):
        by_kind[kind].append(value)
    return Allowlist(accounts=by_kind[AllowlistKind.ACCOUNT],
                     agency_licenses=by_kind[AllowlistKind.AGENCY_LICENSE],
                     phones=by_kind[AllowlistKind.PHONE], emails=by_kind[AllowlistKind.EMAIL],
                     ips=by_kind[AllowlistKind.IP], devices=by_kind[AllowlistKind.DEVICE])
