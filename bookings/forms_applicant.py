"""Forms of the applicants' pages. They only parse input; the services judge it (bookings/services),
so a refused NIK, a full slot or a rate limit is recorded in the trail and its message shown here."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from bookings.choices import Service
from bookings.forms_office import DateInput, slot_choices
from bookings.models import Account

ISO_DATE = "%Y-%m-%d"
HOUR_MINUTE = "%H:%M"


def _date_field(label, *, widget=None, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, input_formats=[ISO_DATE], widget=widget or DateInput(),
                           error_messages={"invalid": _("Give a date as YYYY-MM-DD."),
                                           "required": _("Choose a date.")}, **kwargs)


class RegisterForm(forms.Form):
    """A new applicant account: the e-mail address is the login; the phone is the contact."""

    email = forms.CharField(label=_("E-mail address"), max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("Mobile phone"), max_length=32, help_text=_("08…, +628… or 628…"),
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    password = forms.CharField(label=_("Password"), max_length=128, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password_again = forms.CharField(label=_("Password again"), max_length=128, strip=False,
                                     widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") is not None \
                and data["password"] != data["password_again"]:
            self.add_error("password_again", _("The two passwords differ."))
        return data


class SignInForm(AuthenticationForm):
    """Sign-in with the account's e-mail address; staff logins are refused here (they have their own)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong e-mail address or password."),
        "not_an_applicant": _("This sign-in is for applicant accounts only."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("E-mail address")
        self.fields["username"].widget.attrs["autocomplete"] = "email"

    def clean_username(self) -> str:
        # Accounts are stored by their lower-cased address (account_register).
        return (self.cleaned_data.get("username") or "").strip().lower()

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not Account.objects.filter(user=user).exists():
            raise forms.ValidationError(self.error_messages["not_an_applicant"], code="not_an_applicant")


class DayForm(forms.Form):
    """Step one of booking: the office and the day (read from the query string)."""

    office = forms.ChoiceField(label=_("Office"), error_messages={
        "required": _("Choose an office."),
        "invalid_choice": _("Choose an office from the list.")})
    date = _date_field(_("Date"))

    def __init__(self, *args, office_choices=(), window: tuple[dt.date, dt.date] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [("", _("Choose an office")), *office_choices]
        if window:
            # The browser's date picker offers only the dates that can be on sale.
            self.fields["date"].widget.attrs.update(min=window[0].isoformat(), max=window[1].isoformat())


class BookingForm(forms.Form):
    """Step two: a free slot of that day, the service and the person the booking is for.

    Only the shape is checked here; the NIK's rules, the phone, the slot's state and the limits
    are the service's to judge (and to record when refused).
    """

    office = forms.CharField(widget=forms.HiddenInput, max_length=32)
    date = _date_field(_("Date"), widget=forms.HiddenInput())
    slot = forms.ChoiceField(label=_("Time"), widget=forms.RadioSelect, error_messages={
        "required": _("Choose a time."),
        "invalid_choice": _("That time is not one of the office's slots; choose from the list.")})
    service = forms.ChoiceField(label=_("Service"), choices=Service.choices)
    # NIK, name and phone are judged by the service (it names every bad field at once, and
    # records the refusal), so the form does not refuse them empty on its own.
    nik = forms.CharField(label=_("NIK"), max_length=32, required=False,
                          help_text=_("16 digits, as on the KTP."),
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    name = forms.CharField(label=_("Name (as on the KTP)"), max_length=200, required=False)
    birth_date = _date_field(_("Birth date"))
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False,
                            help_text=_("08…, +628… or 628…"))
    email = forms.CharField(label=_("E-mail (optional)"), max_length=254, required=False)

    def __init__(self, *args, windows=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Every slot of the day is a valid choice (the page offers only the free ones): a slot
        # that filled up meanwhile is refused by the service, in its words, and recorded.
        self.fields["slot"].choices = slot_choices(windows)

    def clean_slot(self) -> dt.time:
        return dt.datetime.strptime(self.cleaned_data["slot"], HOUR_MINUTE).time()  # noqa: DTZ007
