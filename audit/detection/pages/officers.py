"""An officer's profile: counter workload per day and per step beside the peers at the same
office, the findings that name the officer, and their rank among flagged officers."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from audit.actions import Action
from offices.access import Capability, nip_of
from offices.models import Office, StaffProfile

from ..choices import SubjectType
from ..selectors import finding_list, subject_list
from ..selectors_officer import officer_workload
from .common import audit_page, url_or_none
from .findings import STAFF_TIMELINE

RANKING = "officer_peer_ranking"
FINDINGS_SHOWN = 50
#: The counter steps in the auditors' words.
STEP_LABELS = {
    Action.CHECK_IN: gettext_lazy("Check-in"),
    Action.VERIFY_DOCUMENTS: gettext_lazy("Document verification"),
    Action.CAPTURE_BIOMETRICS: gettext_lazy("Photo and fingerprints"),
    Action.INTERVIEW: gettext_lazy("Interview"),
    Action.APPROVE: gettext_lazy("Approval"), Action.REJECT: gettext_lazy("Rejection"),
    Action.OVERRIDE: gettext_lazy("Override of a rule"), Action.PRINT: gettext_lazy("Printing"),
    Action.HAND_OVER: gettext_lazy("Hand-over"), Action.WALK_IN_INSERT: gettext_lazy("Walk-in inserted"),
}


def _chart(workload) -> dict:
    """Steps per day, the officer beside the peers' median; each day at noon UTC so it reads the same
    calendar day in every Indonesian zone."""
    noon = dt.time(12, tzinfo=dt.UTC)
    return {"x_label": _("Day"),
            "x": [int(dt.datetime.combine(d.day, noon).timestamp()) for d in workload.days],
            "series": [{"label": _("This officer"), "values": [d.own for d in workload.days]},
                       {"label": _("Peers' median"), "values": [d.peer_median for d in workload.days]}]}


@require_GET
@audit_page
def officer_profile(request, nip: str):
    if nip == nip_of(request.user):
        raise Http404  # nobody reads a profile of themselves on the workbench
    staff = StaffProfile.objects.filter(nip=nip).first()
    findings = list(finding_list(user=request.user).filter(staff_nips__contains=[nip])[:FINDINGS_SHOWN])
    if staff is None and not findings:
        raise Http404
    workload = officer_workload(nip)
    office = Office.objects.filter(pk=workload.office_id).first() if workload.office_id else None
    if office is not None and not request.reach.scopes[Capability.AUDIT].allows(office.pk):
        raise Http404
    ranking = next((f for f in findings if f.detector == RANKING and f.subject_id == nip), None)
    risk = subject_list(user=request.user).filter(subject_type=SubjectType.STAFF, subject_id=nip).first()
    return render(request, "detection/officer.html", {
        "nip": nip, "staff": staff, "office": office, "workload": workload, "findings": findings,
        "ranking": ranking.evidence if ranking else None, "ranking_finding": ranking, "risk": risk,
        "chart": _chart(workload),
        "steps": [{"step": step, "label": STEP_LABELS.get(step.action, step.action)}
                  for step in workload.steps],
        "timeline_url": url_or_none(STAFF_TIMELINE, staff.pk) if staff else None, "tab": "inbox",
        "page_title": staff.name if staff else nip,
    })
