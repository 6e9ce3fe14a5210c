"""Forms of the office pages. They only parse input; the services (bookings/services) judge it,
so the service's own messages (capacity below bookings, a bad NIK) appear beside the fields."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from bookings.choices import Channel, Service
from bookings.services.capacity import MAX_SLOT_CAPACITY
from bookings.services.counter import STEPS

ISO_DATE = "%Y-%m-%d"
HOUR_MINUTE = "%H:%M"
REASON_LENGTH = 500


class DateInput(forms.DateInput):
    """The browser's date picker; it always sends ISO dates whatever the page language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATE)


def _date_field(label, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, input_formats=[ISO_DATE], widget=DateInput(),
                           error_messages={"invalid": _("Give a date as YYYY-MM-DD.")})


def _reason_field(label, *, help_text="") -> forms.CharField:
    # Not required here: the service says why a reason is needed, in its own words.
    return forms.CharField(label=label, required=False, max_length=REASON_LENGTH, help_text=help_text,
                           widget=forms.TextInput(attrs={"autocomplete": "off"}))


def slot_choices(windows) -> list[tuple[str, str]]:
    """``HH:MM`` choices for a day's slot windows (``bookings.calendar.slot_windows``)."""
    return [(start.strftime(HOUR_MINUTE), f"{start.strftime(HOUR_MINUTE)}–{end.strftime(HOUR_MINUTE)}")
            for start, end in windows]


def _time_of(value: str) -> dt.time | None:
    return dt.datetime.strptime(value, HOUR_MINUTE).time() if value else None  # noqa: DTZ007


class DayForm(forms.Form):
    """Which date the capacity page shows (the office's today when not given)."""

    date = _date_field(_("Date"), required=False)


class CapacityChangeForm(forms.Form):
    """One slot's capacity (or the whole day's, spread over its slots), and why."""

    date = _date_field(_("Date"))
    slot = forms.ChoiceField(label=_("Slot"), required=False)
    capacity = forms.IntegerField(label=_("New capacity"), min_value=0, max_value=MAX_SLOT_CAPACITY,
                                  error_messages={"required": _("Give the new capacity."),
                                                  "invalid": _("Capacity is a whole number.")})
    reason = _reason_field(_("Reason"), help_text=_("Kept in the audit trail with the change."))

    def __init__(self, *args, windows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [("", _("Whole day (spread over its slots)")), *slot_choices(windows)]

    def clean_slot(self) -> dt.time | None:
        return _time_of(self.cleaned_data["slot"])


class DayCloseForm(forms.Form):
    """Close a day (a holiday): nothing more is sold."""

    date = _date_field(_("Date"))
    reason = _reason_field(_("Reason for closing"))


class DayReopenForm(forms.Form):
    """Open a closed day again (for example a weekend ordered to clear a backlog)."""

    date = _date_field(_("Date"))
    reason = _reason_field(_("Reason for reopening"))


class WalkInForm(forms.Form):
    """A walk-in at the counter: the applicant, the service, the lane and today's slot."""

    nik = forms.CharField(label=_("NIK"), max_length=32,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    name = forms.CharField(label=_("Name (as on the KTP)"), max_length=200)
    birth_date = _date_field(_("Birth date"))
    phone = forms.CharField(label=_("Phone"), max_length=32)
    email = forms.CharField(label=_("E-mail (optional)"), max_length=254, required=False)
    service = forms.ChoiceField(label=_("Service"), choices=Service.choices)
    channel = forms.ChoiceField(label=_("Lane"), initial=Channel.WALK_IN,
                                choices=[(Channel.WALK_IN, Channel.WALK_IN.label),
                                         (Channel.PRIORITY,
                                           _("Priority (elderly, disabled, pregnant, infant)"))])
    slot = forms.ChoiceField(label=_("Slot"), required=False)

    def __init__(self, *args, windows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [("", _("The current slot")), *slot_choices(windows)]

    def clean_slot(self) -> dt.time | None:
        return _time_of(self.cleaned_data["slot"])


class CounterStepForm(forms.Form):
    """A counter step on one of today's bookings, from the board: ``booking_step`` judges it."""

    booking = forms.CharField(label=_("Booking"), max_length=16)
    step = forms.ChoiceField(label=_("Step"), choices=[(name, name) for name in STEPS])
    reason = _reason_field(_("Why it is rejected"))
    collected_by = forms.CharField(label=_("Collected by"), required=False, max_length=32,
                                   help_text=_("'applicant', or the NIK of who collects it."))


class CounterOverrideForm(forms.Form):
    """An office head's override on one of today's bookings: ``booking_override`` judges it."""

    booking = forms.CharField(label=_("Booking"), max_length=16)
    step = forms.ChoiceField(label=_("Step"), choices=[(name, name) for name in STEPS])
    reason = _reason_field(_("Why the rule is set aside"))
