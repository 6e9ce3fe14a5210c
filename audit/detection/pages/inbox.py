"""The findings inbox: every finding the auditor may read, riskiest subject first, filterable,
with a CSV export of the same rows and a tick box per finding to open a case from several."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from passport_portal.pages import TablePage

from ..choices import Category, SubjectType
from ..models import Finding
from ..registry import DETECTORS
from ..selectors_inbox import FINDING_STATUSES, inbox_findings
from .common import audit_page

NUMERIC = {"td": {"class": "num"}, "th": {"class": "num"}}
#: Subjects that have a page of their own on the workbench.
SUBJECT_PAGES = {SubjectType.STAFF: "detection:officer", SubjectType.CLUSTER: "detection:cluster"}


def subject_url(subject_type: str, subject_id: str) -> str | None:
    """The workbench page about a subject (an officer's profile, a cluster), if it has one."""
    name = SUBJECT_PAGES.get(subject_type)
    return reverse(name, args=[subject_id]) if name else None


class InboxFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices)
    detector = django_filters.ChoiceFilter(label=_("Detector"),
                                           choices=[(name, name) for name in DETECTORS])
    subject_type = django_filters.ChoiceFilter(label=_("Subject"), choices=SubjectType.choices)
    office = django_filters.CharFilter(label=_("Office code"), field_name="office__code",
                                       lookup_expr="iexact")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=FINDING_STATUSES,
                                         field_name="workflow")

    class Meta:
        model = Finding
        fields = ["category", "detector", "subject_type", "office", "status"]


class InboxTable(tables.Table):
    """One row per finding; ``subject_risk`` orders the subjects, ``score`` the findings within."""

    pick = tables.Column(verbose_name=_("Pick"), accessor="pk", orderable=False, exclude_from_export=True,
                         attrs={"td": {"class": "pick"}})
    subject = tables.Column(verbose_name=_("Subject"), accessor="subject_id", order_by=("subject_type",
                                                                                       "subject_id"))
    subject_risk = tables.Column(verbose_name=_("Subject risk"), order_by=("subject_risk", "score"),
                                 attrs=NUMERIC)
    score = tables.Column(verbose_name=_("Score"), attrs=NUMERIC)
    category = tables.Column(verbose_name=_("Category"))
    detector = tables.Column(verbose_name=_("Detector"), attrs={"td": {"class": "nowrap"}})
    office = tables.Column(verbose_name=_("Office"), accessor="office__code", order_by=("office__code",),
                           default="", attrs={"td": {"class": "nowrap"}})
    summary = tables.Column(verbose_name=_("Summary"), orderable=False,
                            linkify=("detection:finding-detail", {"pk": tables.A("pk")}))
    workflow = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Finding
        fields = ()
        sequence = ("pick", "subject", "subject_risk", "score", "category", "detector", "office", "summary",
                    "workflow")
        order_by = ("-subject_risk",)
        empty_text = _("No finding matches these filters.")
        attrs = {"class": "data", "id": "findings"}

    def render_pick(self, record):
        return format_html('<input type="checkbox" name="finding" value="{}" form="case-from-findings" '
                           'aria-label="{}">', record.pk, _("Pick finding %(id)s") % {"id": record.pk})

    def render_subject(self, record):
        url = subject_url(record.subject_type, record.subject_id)
        label = record.get_subject_type_display()
        if url is None:
            return format_html('<span class="muted small">{}</span><br>{}', label, record.subject_id)
        return format_html('<span class="muted small">{}</span><br><a href="{}">{}</a>', label, url,
                           record.subject_id)

    def value_subject(self, record):
        return f"{record.subject_type}:{record.subject_id}"

    def render_subject_risk(self, value):
        return number_format(value, 2)

    def render_score(self, value):
        return number_format(value, 2)

    def value_subject_risk(self, value):
        return round(value, 4)

    def value_score(self, value):
        return round(value, 4)

    def render_category(self, record):
        return format_html('<span class="tag tag-{}" title="{}">{}</span>', record.category.lower(),
                           record.get_category_display(), record.category)

    def value_category(self, record):
        return record.category

    def render_workflow(self, value):
        return format_html('<span class="badge badge-{}">{}</span>', value, dict(FINDING_STATUSES)[value])

    def value_workflow(self, value):
        return value


@method_decorator(audit_page, name="dispatch")
class InboxPage(TablePage):
    """Findings by risk: the auditors' starting point."""

    table_class = InboxTable
    filterset_class = InboxFilter
    export_name = "findings"
    page_title = _("Findings")
    template_name = "detection/inbox.html"
    extra_context = {"tab": "inbox"}

    def get_queryset(self):
        return inbox_findings(user=self.request.user).select_related("office")
