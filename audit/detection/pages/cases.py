"""Cases: the list, opening one from findings, and a case's page where it is assigned, moved
along its path and annotated. Every action goes through detection's services (audited); their
refusals (a conflict of interest, a move off the path, a missing note) appear on the page."""

from __future__ import annotations

import django_tables2 as tables
from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from passport_portal.forms import REFUSALS, form_errors
from passport_portal.pages import TablePage
from passport_portal.request_meta import request_meta

from ..choices import CASE_TRANSITIONS
from ..filters import CaseFilter
from ..models import Case
from ..selectors import case_list, finding_list
from ..selectors_cases import case_assignees, case_history
from ..services import case_add_note, case_assign, case_move, case_open
from .common import audit_page
from .forms import CaseAssignForm, CaseMoveForm, CaseNoteForm, CaseOpenForm

NUMERIC = {"td": {"class": "num"}, "th": {"class": "num"}}


class CaseTable(tables.Table):
    id = tables.Column(verbose_name=gettext_lazy("Case"),
                       linkify=("detection:case-detail", {"pk": tables.A("pk")}))
    title = tables.Column(verbose_name=gettext_lazy("Title"),
                          linkify=("detection:case-detail", {"pk": tables.A("pk")}))
    status = tables.Column(verbose_name=gettext_lazy("Status"))
    assignee = tables.Column(verbose_name=gettext_lazy("Assignee"), accessor="assignee__name",
                             order_by=("assignee__name",), default="—")
    finding_count = tables.Column(verbose_name=gettext_lazy("Findings"), attrs=NUMERIC)
    opened_at = tables.DateTimeColumn(verbose_name=gettext_lazy("Opened"), format="j M Y H:i")

    class Meta:
        model = Case
        fields = ()
        sequence = ("id", "title", "status", "assignee", "finding_count", "opened_at")
        order_by = ("-opened_at",)
        empty_text = gettext_lazy("No case matches these filters.")
        attrs = {"class": "data", "id": "cases"}

    def render_id(self, value):
        return f"#{value}"

    def render_status(self, record):
        return format_html('<span class="badge badge-{}">{}</span>', record.status.lower(),
                           record.get_status_display())

    def value_status(self, record):
        return record.status

    def value_opened_at(self, value):
        return value.isoformat()


@method_decorator(audit_page, name="dispatch")
class CaseListPage(TablePage):
    """Cases the person may read (none about themselves), newest first."""

    table_class = CaseTable
    filterset_class = CaseFilter
    export_name = "cases"
    page_title = gettext_lazy("Cases")
    template_name = "detection/case_list.html"
    extra_context = {"tab": "cases"}

    def get_queryset(self):
        return (case_list(user=self.request.user).prefetch_related(None)
                .annotate(finding_count=Count("findings", distinct=True)))


@require_http_methods(["GET", "POST"])
@audit_page
def case_open_page(request):
    """Open a case from the findings picked in the inbox or on a finding's page."""
    source = request.POST if request.method == "POST" else request.GET
    ids = [int(value) for value in source.getlist("finding") if value.isdigit()]
    findings = list(finding_list(user=request.user).filter(pk__in=ids))
    if ids and len(findings) != len(set(ids)):
        raise Http404  # a finding that is not the person's to see, or none at all
    form = CaseOpenForm(request.POST if request.method == "POST" else None,
                        finding_ids=[f.pk for f in findings],
                        initial={"finding": [f.pk for f in findings],
                                 "title": findings[0].summary[:200] if len(findings) == 1 else ""})
    status = 200
    if request.method == "POST":
        if not findings and form.is_valid():
            form.add_error(None, _("Pick one or more findings in the inbox first."))
            status = 400
        elif form.is_valid():
            try:
                case = case_open(actor=request.user, title=form.cleaned_data["title"], findings=findings,
                                 meta=request_meta(request))
            except REFUSALS as exc:
                status = form_errors(form, exc)
            else:
                messages.success(request, _("Case #%(id)s is open.") % {"id": case.pk})
                return redirect("detection:case-detail", pk=case.pk)
        else:
            status = 400
    return render(request, "detection/case_open.html", {"form": form, "findings": findings, "tab": "cases"},
                  status=status)


def _case_or_404(request, pk: int) -> Case:
    case = case_list(user=request.user).prefetch_related(None).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def _case_page(request, case: Case, *, forms: dict | None = None, status: int = 200):
    forms = forms or {}
    moves = sorted(CASE_TRANSITIONS[case.status])
    return render(request, "detection/case_detail.html", {
        "case": case, "findings": case.findings.select_related("office").order_by("-score", "id"),
        "notes": case.notes.select_related("author__staff"),
        "history": case_history(case),
        "assign_form": forms.get("assign") or CaseAssignForm(
            people=case_assignees(case), initial={"assignee": case.assignee_id}),
        "move_form": forms.get("move") or (CaseMoveForm(moves=moves) if moves else None),
        "note_form": forms.get("note") or CaseNoteForm(),
        "tab": "cases",
    }, status=status)


@require_GET
@audit_page
def case_detail(request, pk: int):
    """A case: its findings, notes and history, and the forms that work it."""
    return _case_page(request, _case_or_404(request, pk))


@require_POST
@audit_page
def case_assign_page(request, pk: int):
    case = _case_or_404(request, pk)
    people = list(case_assignees(case))
    form = CaseAssignForm(request.POST, people=people)
    if form.is_valid():
        assignee = next(p for p in people if p.pk == form.cleaned_data["assignee"])
        try:
            case_assign(actor=request.user, case=case, assignee=assignee, meta=request_meta(request))
        except REFUSALS as exc:
            return _case_page(request, case, forms={"assign": form}, status=form_errors(form, exc))
        messages.success(request, _("The case is assigned to %(name)s.") % {"name": assignee.name})
        return redirect("detection:case-detail", pk=case.pk)
    return _case_page(request, case, forms={"assign": form}, status=400)


@require_POST
@audit_page
def case_move_page(request, pk: int):
    case = _case_or_404(request, pk)
    form = CaseMoveForm(request.POST, moves=sorted(CASE_TRANSITIONS[case.status]))
    if form.is_valid():
        try:
            moved = case_move(actor=request.user, case=case, to=form.cleaned_data["status"],
                              note=form.cleaned_data["note"], meta=request_meta(request))
        except REFUSALS as exc:
            return _case_page(request, case, forms={"move": form}, status=form_errors(form, exc))
        messages.success(request, _("The case is now %(status)s.") % {"status": moved.get_status_display()})
        return redirect("detection:case-detail", pk=case.pk)
    return _case_page(request, case, forms={"move": form}, status=400)


@require_POST
@audit_page
def case_note_page(request, pk: int):
    case = _case_or_404(request, pk)
    form = CaseNoteForm(request.POST)
    if form.is_valid():
        try:
            case_add_note(actor=request.user, case=case, text=form.cleaned_data["text"],
                          meta=request_meta(request))
        except REFUSALS as exc:
            return _case_page(request, case, forms={"note": form}, status=form_errors(form, exc))
        messages.success(request, _("The note is added."))
        return redirect("detection:case-detail", pk=case.pk)
    return _case_page(request, case, forms={"note": form}, status=400)
