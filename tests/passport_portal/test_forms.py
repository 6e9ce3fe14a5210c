"""A service's refusal on the submitted form: where each message goes and what the page answers."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from offices.errors import Conflict, LimitReached, NotAllowed
from passport_portal.forms import form_errors


class SlotForm(forms.Form):
    date = forms.DateField()
    slot = forms.TimeField()


def _form():
    form = SlotForm({"date": "2025-03-03", "slot": "08:00"})
    assert form.is_valid()
    return form


def test_a_field_message_goes_beside_its_field_and_the_page_answers_400():
    form = _form()
    assert form_errors(form, ValidationError({"date": ["Closed that day."]})) == 400
    assert form.errors == {"date": ["Closed that day."]}


def test_a_service_field_name_is_renamed_to_the_form_s():
    form = _form()
    form_errors(form, ValidationError({"slot_time": ["Below what is booked."], "service_date": ["Past."]}),
                {"slot_time": "slot", "service_date": "date"})
    assert form.errors == {"slot": ["Below what is booked."], "date": ["Past."]}


def test_messages_about_what_the_form_does_not_show_go_above_it():
    form = _form()
    form_errors(form, ValidationError({"reason": ["Say why."], NON_FIELD_ERRORS: ["Try later."]}))
    assert form.non_field_errors() == ["Say why.", "Try later."]
    form = _form()
    form_errors(form, ValidationError("No such day."))
    assert form.non_field_errors() == ["No such day."]


def test_a_domain_refusal_goes_above_the_form_with_its_own_status():
    for exc, status in ((NotAllowed("Not here."), 403), (Conflict("Taken."), 409),
                        (LimitReached("Wait.", retry_after=60), 429)):
        form = _form()
        assert form_errors(form, exc) == status
        assert form.non_field_errors() == [exc.message]
