"""Tables of the network and staff pages (django-tables2): sortable on the server, exportable.

Each column's ``value`` is what the CSV export writes; ``render`` is what the page shows.
"""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import time_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Office, StaffProfile

NUMERIC = {"td": {"class": "num"}, "th": {"class": "num"}}


def _hours(office: Office) -> str:
    """Opening hours as the export writes them: 24-hour clock, the office's own zone."""
    return f"{office.opens_at:%H:%M}-{office.closes_at:%H:%M}"


class OfficeTable(tables.Table):
    """Offices and units with where they sit, their zone, hours and quota."""

    code = tables.Column(verbose_name=_("Code"), attrs={"td": {"class": "code nowrap"}},
                         linkify=("offices:office-detail", {"code": tables.A("code")}))
    name = tables.Column(verbose_name=_("Name"), attrs={"td": {"class": "name"}})
    type = tables.Column(verbose_name=_("Type"), attrs={"td": {"class": "tag-cell"}})
    parent = tables.Column(verbose_name=_("Parent Kanim"), accessor="parent__code",
                           order_by=("parent__code",), default="", attrs={"td": {"class": "nowrap"}})
    region = tables.Column(verbose_name=_("Province"), accessor="region__name", order_by=("region__code",))
    city = tables.Column(verbose_name=_("City"))
    timezone = tables.Column(verbose_name=_("Zone"))
    hours = tables.Column(verbose_name=_("Hours (local)"), accessor="opens_at", order_by=("opens_at",),
                          attrs={"td": {"class": "nowrap"}})
    daily_quota = tables.Column(verbose_name=_("Daily quota"), attrs=NUMERIC)
    unit_count = tables.Column(verbose_name=_("Units"), attrs=NUMERIC)
    is_active = tables.BooleanColumn(verbose_name=_("Active"))

    class Meta:
        model = Office
        fields = ()
        sequence = ("code", "name", "type", "parent", "region", "city", "timezone", "hours",
                    "daily_quota", "unit_count", "is_active")
        order_by = ("code",)
        empty_text = _("No office matches these filters.")
        attrs = {"class": "data"}

    def render_type(self, record):
        return format_html('<span class="tag tag-{}" title="{}">{}</span>',
                           record.type.lower(), record.get_type_display(), record.type)

    def value_type(self, record):
        return record.type

    def render_parent(self, record):
        if record.parent_id is None:
            return "—"
        url = reverse("offices:office-detail", kwargs={"code": record.parent.code})
        return format_html('<a href="{}">{}</a>', url, record.parent.code)

    def render_timezone(self, record):
        return record.zone_label

    def value_timezone(self, record):
        return record.zone_label

    def render_hours(self, record):
        opens, closes = time_format(record.opens_at), time_format(record.closes_at)
        return f"{opens}–{closes} {record.zone_label}"

    def value_hours(self, record):
        return _hours(record)

    def value_is_active(self, value):
        return "yes" if value else "no"


class StaffTable(tables.Table):
    """Staff with their current posting (read from prefetched assignments: no query per row)."""

    name = tables.Column(verbose_name=_("Name"), linkify=("offices:staff-detail", {"pk": tables.A("pk")}))
    nip = tables.Column(verbose_name="NIP")
    posting = tables.Column(verbose_name=_("Current posting"), accessor="pk", orderable=False)
    login = tables.Column(verbose_name=_("Portal login"), accessor="user__username", default="",
                          orderable=False)

    class Meta:
        model = StaffProfile
        fields = ()
        sequence = ("name", "nip", "posting", "login")
        order_by = ("name",)
        empty_text = _("No member of staff matches these filters.")
        attrs = {"class": "data"}

    @staticmethod
    def current(record: StaffProfile):
        for assignment in record.assignments.all():
            if assignment.covers(assignment.office.local_date()):
                return assignment
        return None

    def render_posting(self, record):
        assignment = self.current(record)
        if assignment is None:
            return format_html('<span class="muted">{}</span>', _("none today"))
        return format_html("{} · {}", assignment.get_role_display(), assignment.office.code)

    def value_posting(self, record):
        assignment = self.current(record)
        return f"{assignment.role} {assignment.office.code}" if assignment else ""

    def render_login(self, value):
        return value or "—"
