"""Clearance directives: a supervisor orders one or many offices to clear their backlog by a date,
and may withdraw an order in force."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.trail import actor_for_user, event_record
from bookings.errors import Conflict
from bookings.models import ClearanceDirective
from bookings.models.backlog import IN_FORCE
from offices.access import Capability, require
from offices.models import Office
from passport_portal.request_meta import NO_REQUEST, RequestMeta

MAX_DAYS = 366
NOTE_LENGTH = 2000
REASON_LENGTH = 500


def _deadline_for(office: Office, *, deadline: dt.date | None, within_days: int | None,
                  now: dt.datetime) -> dt.date:
    today = office.local_date(now)
    return deadline if deadline is not None else today + dt.timedelta(days=within_days)


def directive_set(*, actor, offices: list[Office], note: str = "", deadline: dt.date | None = None,
                  within_days: int | None = None, extra_service_allowed: bool = False,
                  meta: RequestMeta = NO_REQUEST) -> list[ClearanceDirective]:
    """Order each of ``offices`` to clear its backlog by ``deadline``, or ``within_days`` of its today.

    Needs DIRECT at every office named. A new directive supersedes the office's current one
    (the history stays). One transaction for all offices: every office gets its directive
    and its DIRECTIVE_SET event, or none does. ``within_days`` counts from each office's own
    date, so "within 14 days" means the same on every clock.
    """
    errors: dict[str, list[str]] = {}
    offices = list({office.pk: office for office in offices}.values())
    if not offices:
        errors["offices"] = [_("Name at least one office.")]
    for office in offices:
        require(actor, Capability.DIRECT, office.pk)
    if (deadline is None) == (within_days is None):
        errors["deadline"] = [_("Give either a deadline date or a number of days, not both.")]
    elif within_days is not None and not (isinstance(within_days, int) and 1 <= within_days <= MAX_DAYS):
        errors["within_days"] = [_("Days is a whole number from 1 to %(max)s.") % {"max": MAX_DAYS}]
    note = (note or "").strip()
    if len(note) > NOTE_LENGTH:
        errors["note"] = [_("A note has at most %(max)s characters.") % {"max": NOTE_LENGTH}]
    now = timezone.now()
    if deadline is not None and not errors:
        late = [office.code for office in offices if deadline < office.local_date(now)]
        if late:
            errors["deadline"] = [_("The deadline is already past at: %(offices)s.")
                                  % {"offices": ", ".join(sorted(late))}]
    if errors:
        raise ValidationError(errors)
    staff = getattr(actor, "staff", None)
    try:
        with transaction.atomic():
            ids = [office.pk for office in offices]
            # A withdrawn directive is no longer in force: a new one does not supersede it.
            previous = dict(ClearanceDirective.objects.select_for_update()
                            .filter(IN_FORCE, office_id__in=ids)
                            .values_list("office_id", "deadline"))
            ClearanceDirective.objects.filter(IN_FORCE, office_id__in=ids).update(superseded_at=now)
            directives = ClearanceDirective.objects.bulk_create([
                ClearanceDirective(
                    office=office, note=note, extra_service_allowed=extra_service_allowed,
                    deadline=_deadline_for(office, deadline=deadline, within_days=within_days, now=now),
                    issued_by=staff, issued_at=now)
                for office in offices])
            for directive in directives:
                office = directive.office
                event_record(actor=actor_for_user(actor, office=office), action=Action.DIRECTIVE_SET,
                             office=office, target_type="office", target_id=office.code,
                             details={"deadline": directive.deadline, "note": note,
                                      "extra_service_allowed": extra_service_allowed,
                                      "previous_deadline": previous.get(office.pk)},
                             meta=meta, at=now)
    except IntegrityError as exc:
        # Another supervisor issued for one of these offices at the same moment.
        raise Conflict(_("A directive for one of these offices was issued at the same moment; "
                         "look at it and issue again if needed."), code="directive_concurrent") from exc
    return directives


def directive_withdraw(*, actor, directive: ClearanceDirective, reason: str,
                       meta: RequestMeta = NO_REQUEST) -> ClearanceDirective:
    """Withdraw the directive in force at its office, saying why; the office is then under none.

    Needs DIRECT at the office. A directive already superseded or withdrawn is a Conflict
    (409), decided by the conditional UPDATE itself, so a withdrawal racing a new directive or
    another withdrawal cannot both win. Records DIRECTIVE_WITHDRAW in the same transaction.
    """
    office = directive.office
    require(actor, Capability.DIRECT, office.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the directive is withdrawn.")]})
    if len(reason) > REASON_LENGTH:
        raise ValidationError({"reason": [_("A reason has at most %(max)s characters.")
                                          % {"max": REASON_LENGTH}]})
    staff = getattr(actor, "staff", None)
    now = timezone.now()
    with transaction.atomic():
        withdrawn = (ClearanceDirective.objects.filter(IN_FORCE, pk=directive.pk)
                     .update(withdrawn_at=now, withdrawn_by=staff, withdraw_reason=reason))
        if not withdrawn:
            directive.refresh_from_db()
            raise Conflict(_("This directive is no longer in force (it was replaced or withdrawn)."),
                           code="directive_not_in_force")
        event_record(actor=actor_for_user(actor, office=office), action=Action.DIRECTIVE_WITHDRAW,
                     office=office, target_type="office", target_id=office.code,
                     details={"directive": directive.pk, "deadline": directive.deadline,
                              "issued_at": directive.issued_at, "reason": reason},
                     meta=meta, at=now)
    directive.refresh_from_db()
    return directive
