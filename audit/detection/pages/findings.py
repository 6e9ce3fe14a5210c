"""A finding's page: its summary, the figures and the baseline they were compared to, and the
events, bookings and officers behind it, each linked to its timeline."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..models import SubjectRisk
from ..selectors import finding_list
from ..selectors_evidence import SHOWN, evidence_rows, finding_evidence
from .common import audit_page, url_or_none
from .forms import CaseOpenForm
from .inbox import subject_url

BOOKING_TIMELINE = "audit:booking-timeline"
STAFF_TIMELINE = "audit:staff-timeline"


def finding_or_404(request, pk: int):
    """The finding if the person may read it (AUDIT, not about themselves), else 404."""
    finding = finding_list(user=request.user).filter(pk=pk).first()
    if finding is None:
        raise Http404
    return finding


@require_GET
@audit_page
def finding_detail(request, pk: int):
    finding = finding_or_404(request, pk)
    evidence = finding_evidence(finding, user=request.user, reach=request.reach)
    figures = {key: value for key, value in finding.evidence.items() if key != "baseline"} \
        if isinstance(finding.evidence, dict) else finding.evidence
    baseline = finding.evidence.get("baseline") if isinstance(finding.evidence, dict) else None
    risk = SubjectRisk.objects.filter(subject_type=finding.subject_type,
                                      subject_id=finding.subject_id).first()
    return render(request, "detection/finding_detail.html", {
        "finding": finding, "risk": risk, "figures": evidence_rows(figures),
        "baseline": evidence_rows(baseline) if baseline is not None else [],
        "evidence": evidence, "shown": SHOWN,
        "subject_url": subject_url(finding.subject_type, finding.subject_id),
        "events": [{"event": e, "booking_url": _booking_url(evidence, e)} for e in evidence.events],
        "bookings": [{"booking": b, "timeline_url": url_or_none(BOOKING_TIMELINE, b.code)}
                     for b in evidence.bookings],
        "officers": [{"nip": nip, "staff": staff, "profile_url": subject_url("staff", nip),
                      "timeline_url": url_or_none(STAFF_TIMELINE, staff.pk) if staff else None}
                     for nip, staff in evidence.officers],
        "case_form": CaseOpenForm(initial={"title": finding.summary[:200], "finding": [finding.pk]},
                                  finding_ids=[finding.pk]),
        "tab": "inbox",
    })


def _booking_url(evidence, event) -> str | None:
    """The timeline of the booking an event is about (timelines are addressed by booking code)."""
    code = evidence.booking_codes.get(event.target_id) if event.target_type == "booking" else None
    return url_or_none(BOOKING_TIMELINE, code) if code else None
