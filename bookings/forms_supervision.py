"""Filters of the network table and the clearance directive form of the supervisors' pages.

Filters narrow ``network_offices``, which offices/access.py has already scoped; the directive
forms only parse input, and ``directive_set`` and ``directive_withdraw`` judge it (their messages
appear beside the fields).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bookings.forms_office import ISO_DATE, DateInput
from bookings.selectors_network import BEHIND_SCHEDULE, DirectiveStatus
from bookings.services.backlog import MAX_DAYS, NOTE_LENGTH, REASON_LENGTH
from offices.choices import OfficeTimezone, OfficeType
from offices.models import Office, Region

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _kanim(request):
    from offices import access

    if request is None:
        return Office.objects.none()
    kanim = Office.objects.filter(type=OfficeType.KANIM).only("code", "name")
    return access.restrict(kanim, request.user, reach=request.reach)


class NetworkFilter(django_filters.FilterSet):
    """Words, province, Kanim (with its units), type, zone, directive, and "behind schedule"."""

    q = django_filters.CharFilter(label=_("Search"), method="search",
                                  widget=forms.TextInput(attrs={"type": "search",
                                                                "placeholder": _("name, code or city")}))
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), field_name="region", queryset=Region.objects.all(), to_field_name="code",
        empty_label=_("All provinces"))
    kanim = django_filters.ModelChoiceFilter(label=_("Kanim and its units"), queryset=_kanim,
                                             to_field_name="code", method="family", empty_label=_("Any"))
    type = django_filters.ChoiceFilter(label=_("Type"), choices=OfficeType.choices,
                                       empty_label=_("All types"))
    timezone = django_filters.ChoiceFilter(label=_("Zone"), choices=OfficeTimezone.choices,
                                           empty_label=_("All zones"))
    directive = django_filters.ChoiceFilter(label=_("Directive in force"), choices=YES_NO,
                                            method="has_directive", empty_label=_("Any"))
    status = django_filters.ChoiceFilter(
        label=_("Directive status"), method="directive_status", empty_label=_("Any"),
        choices=[("behind", _("Behind schedule (at risk or overdue)")), *DirectiveStatus.choices])

    class Meta:
        model = Office
        fields = ["q", "province", "kanim", "type", "timezone", "directive", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(city__icontains=value))

    def family(self, queryset, name, value):
        return queryset.filter(Q(pk=value.pk) | Q(parent_id=value.pk))

    def has_directive(self, queryset, name, value):
        return queryset.filter(deadline__isnull=(value == "no"))

    def directive_status(self, queryset, name, value):
        statuses = BEHIND_SCHEDULE if value == "behind" else (value,)
        return queryset.filter(directive_status__in=statuses)


class DirectiveForm(forms.Form):
    """Order an office (and, for a Kanim, its units) to clear its backlog by a date or within days."""

    deadline = forms.DateField(label=_("Clear the backlog by"), required=False, input_formats=[ISO_DATE],
                               widget=DateInput(),
                               error_messages={"invalid": _("Give a date as YYYY-MM-DD.")},
                               help_text=_("A date on the office's own calendar."))
    within_days = forms.IntegerField(label=_("… or within days"), required=False, min_value=1,
                                     max_value=MAX_DAYS, help_text=_("Counted from each office's own today."))
    note = forms.CharField(label=_("Note to the office"), required=False, max_length=NOTE_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 2}))
    extra_service_allowed = forms.BooleanField(label=_("Overtime and weekend service allowed"),
                                               required=False)
    include_units = forms.BooleanField(label=_("The same directive for its units"), required=False)

    def __init__(self, *args, has_units: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_units:
            del self.fields["include_units"]


class DirectiveWithdrawForm(forms.Form):
    """Withdraw the directive in force, saying why.

    ``directive`` names the directive the page showed, so a form sent after another supervisor
    replaced it is refused instead of withdrawing the new one.
    """

    directive = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # Not required here: the service says why a reason is needed, in its own words.
    reason = forms.CharField(label=_("Why it is withdrawn"), required=False, max_length=REASON_LENGTH,
                             widget=forms.TextInput(attrs={"autocomplete": "off"}),
                             help_text=_("The office is then under no directive; the history keeps it."))
