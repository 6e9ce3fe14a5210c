"""What an office head may know of detection: how many open findings touch their office, by category.

Office heads run the counter that detection watches, so they never see a finding, its evidence
or whom it names: only counts. A finding is open until a case holding it reaches a conclusion
(substantiated, unfounded or closed). Findings naming the reader are left out of the counts too,
so a head named in a finding cannot learn of it from a number.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from offices import access
from offices.access import Capability, Reach
from offices.models import Office

from .choices import CaseStatus, Category
from .models import Finding

CONCLUDED = (CaseStatus.SUBSTANTIATED, CaseStatus.UNFOUNDED, CaseStatus.CLOSED)


@dataclass(frozen=True, slots=True)
class FlagCount:
    """How many open findings of one category touch an office."""

    category: str
    label: str
    count: int


def office_flag_counts(*, user, office: Office, reach: Reach | None = None) -> list[FlagCount]:
    """Open findings at ``office`` per category (every category, zeros included), for a reader
    who holds MANAGE there; nothing for anyone else. One query."""
    findings = access.restrict(Finding.objects.filter(office_id=office.pk), user, Capability.MANAGE,
                               reach=reach)
    findings = access.not_about_self(findings, user).exclude(cases__status__in=CONCLUDED)
    counts = dict(findings.order_by().values_list("category").annotate(n=Count("id", distinct=True)))
    return [FlagCount(category=value, label=label, count=counts.get(value, 0))
            for value, label in Category.choices]
