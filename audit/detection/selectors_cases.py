"""Reads for the case pages: who a case may be given to, and its history from the audit trail."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.models import Event
from offices.access import NETWORK_WIDE, Capability
from offices.models import Assignment, StaffProfile

from .models import Case

#: Roles that carry AUDIT (network-wide), read from the one policy.
AUDIT_ROLES = sorted(role for role, capabilities in NETWORK_WIDE.items() if Capability.AUDIT in capabilities)


def case_assignees(case: Case, *, on: dt.date | None = None) -> QuerySet[StaffProfile]:
    """People with a login who audit today and are free of interest in ``case``: not named by
    it, not posted at one of its offices. ``case_assign`` checks the same again on saving."""
    on = on or timezone.localdate()
    in_force = Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    auditing = Assignment.objects.filter(in_force, role__in=AUDIT_ROLES).values("staff_id")
    posted_here = Assignment.objects.filter(in_force, office_id__in=case.office_ids).values("staff_id")
    return (StaffProfile.objects.filter(pk__in=auditing, user__isnull=False)
            .exclude(nip__in=case.staff_nips).exclude(pk__in=posted_here).order_by("name"))


def case_history(case: Case) -> QuerySet[Event]:
    """The case's events in the audit trail (opened, assigned, moved, noted), oldest first."""
    return Event.objects.filter(target_type="case", target_id=str(case.pk)).order_by("at", "id")
