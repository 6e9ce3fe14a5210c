"""Forms and filter forms of the network and staff pages.

Filters narrow querysets that offices/access.py has already scoped; forms only parse input,
and the services (offices/services.py) decide and validate what is written.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import access
from .access import Capability
from .choices import OfficeTimezone, OfficeType, Role
from .models import Office, Region, StaffProfile
from .services import SENIOR_ROLES
from .validators import validate_nip

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """The browser's date picker; it always sends ISO dates whatever the page language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATE)


def _date_field(label, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, input_formats=[ISO_DATE], widget=DateInput())


def _visible_kanim(request):
    if request is None:
        return Office.objects.none()
    kanim = Office.objects.filter(type=OfficeType.KANIM).only("code", "name")
    return access.restrict(kanim, request.user, reach=request.reach)


def _visible_offices(request):
    if request is None:
        return Office.objects.none()
    return access.restrict(Office.objects.only("code", "name"), request.user, reach=request.reach)


def _search(placeholder) -> forms.TextInput:
    return forms.TextInput(attrs={"type": "search", "placeholder": placeholder})


class _CodeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.name}"


class OfficeFilterForm(django_filters.FilterSet):
    """The network page's filters: words, type, province, parent Kanim, zone, active."""

    q = django_filters.CharFilter(label=_("Search"), method="search", widget=_search(_("name, code or city")))
    type = django_filters.ChoiceFilter(label=_("Type"), choices=OfficeType.choices,
                                       empty_label=_("All types"))
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), field_name="region", queryset=Region.objects.all(), to_field_name="code",
        empty_label=_("All provinces"))
    parent = django_filters.ModelChoiceFilter(
        label=_("Parent Kanim"), field_name="parent", queryset=_visible_kanim, to_field_name="code",
        empty_label=_("Any"))
    timezone = django_filters.ChoiceFilter(label=_("Zone"), choices=OfficeTimezone.choices,
                                           empty_label=_("All zones"))
    is_active = django_filters.ChoiceFilter(
        label=_("Status"), method="active", empty_label=_("Active and closed"),
        choices=[("yes", _("Active")), ("no", _("Closed"))])

    class Meta:
        model = Office
        fields = ["q", "type", "province", "parent", "timezone", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(city__icontains=value))

    def active(self, queryset, name, value):
        return queryset.filter(is_active=(value == "yes"))


class StaffFilterForm(django_filters.FilterSet):
    """The staff page's filters: name or NIP, and the office and role of any posting, past or present."""

    q = django_filters.CharFilter(label=_("Search"), method="search", widget=_search(_("name or NIP")))
    office = django_filters.ModelChoiceFilter(
        label=_("Office"), field_name="assignments__office", queryset=_visible_offices,
        to_field_name="code", empty_label=_("All offices"), distinct=True)
    role = django_filters.ChoiceFilter(label=_("Role"), field_name="assignments__role", choices=Role.choices,
                                       empty_label=_("All roles"), distinct=True)

    class Meta:
        model = StaffProfile
        fields = ["q", "office", "role"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(nip__startswith=value.strip()))


class PostingCreateForm(forms.Form):
    """Post a member of staff (found by NIP) at an office the person may manage.

    Roles beyond an officer are the directorate's (services.SENIOR_ROLES); the choice lists
    only what the person may grant, and the service checks again.
    """

    nip = forms.CharField(label="NIP", max_length=18, min_length=18, validators=[validate_nip],
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    office = _CodeChoice(label=_("Office"), queryset=Office.objects.none(), to_field_name="code")
    role = forms.ChoiceField(label=_("Role"))
    valid_from = _date_field(_("From"))
    valid_until = _date_field(_("Until (inclusive)"), required=False)

    def __init__(self, *args, reach, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        directs = reach.can(Capability.DIRECT)
        self.fields["role"].choices = [(r.value, r.label) for r in Role if directs or r not in SENIOR_ROLES]
        if len(self.fields["role"].choices) == 1:
            self.fields["role"].initial = Role.OFFICER

    def clean_nip(self):
        nip = self.cleaned_data["nip"]
        self.staff = StaffProfile.objects.filter(nip=nip).first()
        if self.staff is None:
            raise forms.ValidationError(_("No member of staff has this NIP."))
        return nip

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("An assignment cannot end before it starts."))
        return cleaned


class PostingEndForm(forms.Form):
    """End a posting on a date (inclusive)."""

    valid_until = _date_field(_("Last day"))
