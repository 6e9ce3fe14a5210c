"""The supervisors' network table: one row per office or unit, every figure from ``network_offices``.

Each column's ``value`` is what the CSV export writes (ISO dates, percentages as plain numbers,
no thousands separators); ``render`` is what the page shows, dates and times on the office's
own calendar with its zone label.
"""

from __future__ import annotations

import django_tables2 as tables
from django.db.models import F
from django.urls import reverse
from django.utils.formats import date_format, number_format, time_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from bookings.selectors_backlog import backlog_projection
from bookings.selectors_network import SHARES, DirectiveStatus, share, share_expression
from offices.models import Office

NUMERIC = {"td": {"class": "num"}, "th": {"class": "num"}}
#: Badge class of each directive status (static/portal/portal.css).
STATUS_BADGE = {
    DirectiveStatus.ON_TRACK: "badge-ok",
    DirectiveStatus.AT_RISK: "badge-running",
    DirectiveStatus.OVERDUE: "badge-closed",
    DirectiveStatus.MET: "badge",
}


def percent(value: float | None) -> str:
    """A fraction as the page shows it: ``12.5 %`` (localised), or a dash for no basis."""
    return "–" if value is None else f"{number_format(value * 100, decimal_pos=1)} %"


def percent_plain(value: float | None) -> str:
    """A fraction as the export writes it: ``12.5``, or empty."""
    return "" if value is None else f"{value * 100:.1f}"


def status_badge(status: str) -> str:
    if not status:
        return "–"
    return format_html('<span class="badge {}" data-status="{}">{}</span>', STATUS_BADGE[status], status,
                       DirectiveStatus(status).label)


def _nulls_last(name: str):
    def order(self, queryset, is_descending):
        field = F(name).desc(nulls_last=True) if is_descending else F(name).asc(nulls_last=True)
        return queryset.order_by(field, "code"), True
    return order


def _by_share(name: str):
    def order(self, queryset, is_descending):
        queryset = queryset.alias(sort_share=share_expression(name))
        return _nulls_last("sort_share")(self, queryset, is_descending)
    return order


def _share_of(record, name: str) -> float | None:
    part, whole = SHARES[name]
    return share(getattr(record, part), getattr(record, whole))


class NetworkTable(tables.Table):
    """Offices and units with backlog, next free slot, quota use, no-shows, flags and directive."""

    code = tables.Column(verbose_name=_("Code"), attrs={"td": {"class": "code nowrap"}},
                         linkify=("supervision:office", {"code": tables.A("code")}))
    name = tables.Column(verbose_name=_("Name"), attrs={"td": {"class": "name"}})
    type = tables.Column(verbose_name=_("Type"), attrs={"td": {"class": "tag-cell"}})
    region = tables.Column(verbose_name=_("Province"), accessor="region__name",
                           order_by=("region__code", "code"))
    timezone = tables.Column(verbose_name=_("Zone"))
    waiting = tables.Column(verbose_name=_("Waiting"), attrs=NUMERIC)
    oldest_waiting = tables.Column(verbose_name=_("Oldest waiting since"), attrs={"td": {"class": "nowrap"}})
    next_free = tables.Column(verbose_name=_("Next free slot"), accessor="next_free_date",
                              attrs={"td": {"class": "nowrap"}})
    quota_use = tables.Column(verbose_name=_("Quota use, next 14 days"), accessor="pk", attrs=NUMERIC)
    no_show_rate = tables.Column(verbose_name=_("No-shows, last 28 days"), accessor="pk", attrs=NUMERIC)
    flagged_share = tables.Column(verbose_name=_("Flagged fictitious or bot, last 28 days"), accessor="pk",
                                  attrs=NUMERIC)
    deadline = tables.Column(verbose_name=_("Directive deadline"), attrs={"td": {"class": "nowrap"}})
    clearance = tables.Column(verbose_name=_("Projected clearance"), accessor="pk", orderable=False,
                              attrs={"td": {"class": "nowrap"}})
    directive_status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Office
        fields = ()
        sequence = ("code", "name", "type", "region", "timezone", "waiting", "oldest_waiting", "next_free",
                    "quota_use", "no_show_rate", "flagged_share", "deadline", "clearance", "directive_status")
        order_by = ("code",)
        empty_text = _("No office matches these filters.")
        attrs = {"class": "data", "id": "network-table"}
        row_attrs = {"data-code": lambda record: record.code}

    order_oldest_waiting = _nulls_last("oldest_waiting")
    order_quota_use = _by_share("quota_use")
    order_no_show_rate = _by_share("no_show_rate")
    order_flagged_share = _by_share("flagged_share")
    order_deadline = _nulls_last("deadline")
    order_next_free = _nulls_last("next_free_date")
    order_directive_status = _nulls_last("directive_status")

    def render_type(self, record):
        return format_html('<span class="tag tag-{}" title="{}">{}</span>',
                           record.type.lower(), record.get_type_display(), record.type)

    def value_type(self, record):
        return record.type

    def render_timezone(self, record):
        return record.zone_label

    def value_timezone(self, record):
        return record.zone_label

    def render_oldest_waiting(self, record):
        days = (record.local_today - record.oldest_waiting).days
        return format_html('{} <span class="muted small">({})</span>', date_format(record.oldest_waiting),
                           _("%(days)s d") % {"days": days})

    def value_oldest_waiting(self, record):
        return record.oldest_waiting.isoformat() if record.oldest_waiting else ""

    def render_next_free(self, record):
        return format_html("{} {} {}", date_format(record.next_free_date), time_format(record.next_free_time),
                           record.zone_label)

    def value_next_free(self, record):
        if record.next_free_date is None:
            return ""
        return f"{record.next_free_date.isoformat()} {record.next_free_time:%H:%M}"

    def render_quota_use(self, record):
        return percent(_share_of(record, "quota_use"))

    def value_quota_use(self, record):
        return percent_plain(_share_of(record, "quota_use"))

    def render_no_show_rate(self, record):
        return percent(_share_of(record, "no_show_rate"))

    def value_no_show_rate(self, record):
        return percent_plain(_share_of(record, "no_show_rate"))

    def render_flagged_share(self, record):
        return percent(_share_of(record, "flagged_share"))

    def value_flagged_share(self, record):
        return percent_plain(_share_of(record, "flagged_share"))

    def render_deadline(self, value):
        return date_format(value)

    def value_deadline(self, value):
        return value.isoformat() if value else ""

    def render_clearance(self, record):
        clearance = backlog_projection(record).clearance_date
        return date_format(clearance) if clearance else format_html('<span class="muted">{}</span>',
                                                                    _("not within a year"))

    def value_clearance(self, record):
        clearance = backlog_projection(record).clearance_date
        return clearance.isoformat() if clearance else ""

    def render_directive_status(self, value):
        return status_badge(value)

    def value_directive_status(self, value):
        return value or ""

    @staticmethod
    def office_url(record) -> str:
        return reverse("supervision:office", kwargs={"code": record.code})
