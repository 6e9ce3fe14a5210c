"""The auditors' inbox: findings ranked by their subject's overall risk, then by their own score.

A subject (an officer, a cluster, an account) that several detectors agree on ranks above one
loud detector (``SubjectRisk.risk``); within a subject the strongest finding comes first. A
finding whose subject has no risk row yet (the risk is rebuilt at the end of a run) ranks by
its own score. Its workflow status says whether a case holds it and how far that case got.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .choices import CaseStatus
from .models import Case, Finding, SubjectRisk
from .selectors import finding_list

#: A case in one of these has reached its conclusion.
CONCLUDED = (CaseStatus.SUBSTANTIATED, CaseStatus.UNFOUNDED, CaseStatus.CLOSED)

NEW, IN_CASE, CONCLUDED_STATUS = "new", "in_case", "concluded"
#: A finding's place in the workflow, as the inbox filters and shows it.
FINDING_STATUSES = [(NEW, _("New: no case yet")), (IN_CASE, _("In an open case")),
                    (CONCLUDED_STATUS, _("Case concluded"))]


def _in_case(statuses) -> Exists:
    return Exists(Case.objects.filter(findings=OuterRef("pk"), status__in=statuses))


def inbox_findings(*, user) -> QuerySet[Finding]:
    """Findings ``user`` may read, each with ``subject_risk`` and ``workflow``, riskiest subject first."""
    risk = SubjectRisk.objects.filter(subject_type=OuterRef("subject_type"),
                                      subject_id=OuterRef("subject_id")).values("risk")[:1]
    open_statuses = [s for s in CaseStatus.values if s not in CONCLUDED]
    return (finding_list(user=user)
            .annotate(subject_risk=Coalesce(Subquery(risk), F("score")),
                      workflow=models.Case(When(_in_case(open_statuses), then=Value(IN_CASE)),
                                     When(_in_case(CONCLUDED), then=Value(CONCLUDED_STATUS)),
                                     default=Value(NEW), output_field=models.CharField()))
            .order_by("-subject_risk", "-score", "id"))
