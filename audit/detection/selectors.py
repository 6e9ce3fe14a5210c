"""Detection's reads, already scoped: AUDIT capability, and never about the viewer."""

from __future__ import annotations

from django.db.models import QuerySet

from offices import access
from offices.access import Capability

from .models import Case, DetectionRun, Finding, SubjectRisk


def finding_list(*, user) -> QuerySet[Finding]:
    """Findings ``user`` may read, riskiest first; none about ``user`` themselves."""
    queryset = access.restrict(Finding.objects.select_related("office"), user, Capability.AUDIT)
    return access.not_about_self(queryset, user).order_by("-score", "id")


def subject_list(*, user) -> QuerySet[SubjectRisk]:
    """Subjects (officers, clusters, accounts) with their overall risk, riskiest first."""
    queryset = access.restrict(SubjectRisk.objects.select_related("office"), user, Capability.AUDIT)
    return access.not_about_self(queryset, user).order_by("-risk", "subject_type", "subject_id")


def case_list(*, user) -> QuerySet[Case]:
    """Cases ``user`` may read: AUDIT, and none about ``user`` themselves."""
    if access.scope_for(user, Capability.AUDIT).is_empty:
        return Case.objects.none()
    queryset = Case.objects.select_related("assignee", "office").prefetch_related("findings", "notes")
    return access.not_about_self(queryset, user)


def run_list(*, user) -> QuerySet[DetectionRun]:
    """Detection runs, newest first (auditors and the directorate)."""
    if access.scope_for(user, Capability.AUDIT).is_empty:
        return DetectionRun.objects.none()
    return DetectionRun.objects.all()
