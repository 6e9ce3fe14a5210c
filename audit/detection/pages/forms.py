"""Forms of the workbench: they only parse input; detection's services decide and validate."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import AllowlistKind, CaseStatus, RunKind


class CaseOpenForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    finding = forms.TypedMultipleChoiceField(label=_("Findings"), coerce=int,
                                             widget=forms.MultipleHiddenInput)

    def __init__(self, *args, finding_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding"].choices = [(pk, pk) for pk in finding_ids]


class CaseAssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Assign to"), coerce=int)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "—"), *((s.pk, f"{s.name} ({s.nip})") for s in people)]


class CaseMoveForm(forms.Form):
    status = forms.ChoiceField(label=_("Move to"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Required for a conclusion: what it rests on."))

    def __init__(self, *args, moves=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(CaseStatus.choices)
        self.fields["status"].choices = [(status, labels[status]) for status in moves]


class CaseNoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class AllowlistAddForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AllowlistKind.choices)
    value = forms.CharField(label=_("Value"), max_length=128)
    reason = forms.CharField(label=_("Why it is legitimate"), widget=forms.Textarea(attrs={"rows": 2}))


class RunStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of run"), choices=RunKind.choices, initial=RunKind.INCREMENTAL)
