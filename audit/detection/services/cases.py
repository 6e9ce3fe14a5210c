"""Cases: an auditor opens one from findings, assigns it, moves it to a conclusion, adds notes.

Every action is audited. Nobody works a case about themselves, or about an office they are
posted at: the case keeps the officers and offices of its findings for that check.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.trail import actor_for_user, event_record
from offices.access import Capability, nip_of, posted_office_ids, require
from offices.errors import Conflict, NotAllowed
from offices.models import StaffProfile
from passport_portal.request_meta import NO_REQUEST, RequestMeta

from ..choices import CASE_TRANSITIONS, CaseStatus
from ..models import Case, CaseNote, Finding
from ..selectors import finding_list

OUTCOMES = frozenset({CaseStatus.SUBSTANTIATED, CaseStatus.UNFOUNDED})


def _conflict_of_interest(user, *, staff_nips: list[str], office_ids: list[int]) -> str | None:
    """Why ``user`` may not work a case about these officers and offices, or None."""
    nip = nip_of(user)
    if nip is not None and nip in staff_nips:
        return _("Nobody works a case about themselves.")
    if posted_office_ids(user) & set(office_ids):
        return _("Nobody works a case about an office they are posted at.")
    return None


def _require_free_of_interest(user, case: Case) -> None:
    reason = _conflict_of_interest(user, staff_nips=case.staff_nips, office_ids=case.office_ids)
    if reason:
        raise NotAllowed(reason, code="conflict_of_interest")


def case_open(*, actor, title: str, findings: list[Finding], meta: RequestMeta = NO_REQUEST) -> Case:
    """Open a case from findings the actor can see; the case takes their officers and offices."""
    require(actor, Capability.AUDIT, None)
    errors: dict[str, list[str]] = {}
    if not isinstance(title, str) or not title.strip() or len(title) > 200:
        errors["title"] = [_("Give a title of 1 to 200 characters.")]
    ids = [finding.pk for finding in findings]
    visible = list(finding_list(user=actor).filter(pk__in=ids))
    if not ids or len(visible) != len(set(ids)):
        errors["findings"] = [_("Name one or more findings you can see.")]
    if errors:
        raise ValidationError(errors)
    staff_nips = sorted({nip for finding in visible for nip in finding.staff_nips})
    office_ids = sorted({finding.office_id for finding in visible if finding.office_id})
    reason = _conflict_of_interest(actor, staff_nips=staff_nips, office_ids=office_ids)
    if reason:
        raise NotAllowed(reason, code="conflict_of_interest")
    with transaction.atomic():
        case = Case.objects.create(title=title.strip(), staff_nips=staff_nips, office_ids=office_ids,
                                   office_id=office_ids[0] if len(office_ids) == 1 else None,
                                   opened_by=actor if actor.pk else None)
        case.findings.set(visible)
        event_record(actor=actor_for_user(actor), action=Action.CASE_OPEN, target_type="case",
                     target_id=str(case.pk),
                     details={"title": case.title, "findings": sorted(ids)}, meta=meta)
    return case


def case_assign(*, actor, case: Case, assignee: StaffProfile, meta: RequestMeta = NO_REQUEST) -> Case:
    """Give the case to an auditor (or supervisor) free of interest in it."""
    require(actor, Capability.AUDIT, None)
    _require_free_of_interest(actor, case)
    user = assignee.user
    if user is None or not _holds_audit(user):
        raise ValidationError({"assignee": [_("Assign the case to someone who audits.")]})
    reason = _conflict_of_interest(user, staff_nips=case.staff_nips, office_ids=case.office_ids)
    if reason:
        raise ValidationError({"assignee": [reason]})
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.status == CaseStatus.CLOSED:
            raise Conflict(_("A closed case is not reassigned."), code="case_closed")
        previous = locked.assignee.nip if locked.assignee_id else None
        locked.assignee = assignee
        locked.save(update_fields=["assignee", "updated_at"])
        event_record(actor=actor_for_user(actor), action=Action.CASE_ASSIGN, target_type="case",
                     target_id=str(case.pk), details={"from": previous, "to": assignee.nip}, meta=meta)
    return locked


def _holds_audit(user) -> bool:
    from offices.access import scope_for

    return not scope_for(user, Capability.AUDIT).is_empty


def case_move(*, actor, case: Case, to: str, note: str = "", meta: RequestMeta = NO_REQUEST) -> Case:
    """Move a case one step along open → investigating → substantiated | unfounded → closed."""
    require(actor, Capability.AUDIT, None)
    _require_free_of_interest(actor, case)
    if to not in CaseStatus.values:
        raise ValidationError({"status": [_("Unknown case status.")]})
    if to in OUTCOMES and not note.strip():
        raise ValidationError({"note": [_("Say what the conclusion rests on.")]})
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if to not in CASE_TRANSITIONS[locked.status]:
            raise Conflict(_("A case cannot move from %(from)s to %(to)s.")
                           % {"from": locked.status, "to": to}, code="case_status_path")
        before = locked.status
        locked.status = to
        if to in OUTCOMES:
            locked.outcome = to
        if to == CaseStatus.CLOSED:
            locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "outcome", "closed_at", "updated_at"])
        if note.strip():
            CaseNote.objects.create(case=locked, author=actor if actor.pk else None, text=note.strip())
        event_record(actor=actor_for_user(actor), action=Action.CASE_STATUS_CHANGE, target_type="case",
                     target_id=str(case.pk), details={"from": before, "to": to, "note": note.strip()},
                     meta=meta)
    return locked


def case_add_note(*, actor, case: Case, text: str, meta: RequestMeta = NO_REQUEST) -> CaseNote:
    """Add a note to a case (notes are never changed afterwards)."""
    require(actor, Capability.AUDIT, None)
    _require_free_of_interest(actor, case)
    if not isinstance(text, str) or not text.strip():
        raise ValidationError({"text": [_("A note cannot be empty.")]})
    with transaction.atomic():
        note = CaseNote.objects.create(case=case, author=actor if actor.pk else None, text=text.strip())
        event_record(actor=actor_for_user(actor), action=Action.CASE_NOTE, target_type="case",
                     target_id=str(case.pk), details={"note": note.pk}, meta=meta)
    return note
