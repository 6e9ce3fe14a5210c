"""django-filter filtersets for runs, findings, subjects and cases."""

import django_filters

from .choices import CaseStatus, Category, RunKind, RunStatus, SubjectType
from .models import Case, DetectionRun, Finding, SubjectRisk


class RunFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=RunKind.choices)
    status = django_filters.ChoiceFilter(choices=RunStatus.choices)

    class Meta:
        model = DetectionRun
        fields = ["kind", "status"]


class FindingFilter(django_filters.FilterSet):
    category = django_filters.MultipleChoiceFilter(choices=Category.choices)
    detector = django_filters.CharFilter()
    subject_type = django_filters.ChoiceFilter(choices=SubjectType.choices)
    subject_id = django_filters.CharFilter()
    min_score = django_filters.NumberFilter(field_name="score", lookup_expr="gte")
    office = django_filters.CharFilter(field_name="office__code", label="Office code")
    staff = django_filters.CharFilter(field_name="staff_nips", method="contains",
                                      label="Names this officer (NIP)")
    account = django_filters.CharFilter(field_name="account_refs", method="contains",
                                        label="Names this account (ref)")
    booking = django_filters.CharFilter(field_name="booking_refs", method="contains",
                                        label="Rests on this booking (ref)")
    run = django_filters.NumberFilter(field_name="last_run_id", label="Last confirmed by run")

    class Meta:
        model = Finding
        fields = ["category", "detector", "subject_type", "subject_id", "min_score", "office"]

    def contains(self, queryset, name, value):
        return queryset.filter(**{f"{name}__contains": [value]})


class SubjectFilter(django_filters.FilterSet):
    subject_type = django_filters.ChoiceFilter(choices=SubjectType.choices)
    category = django_filters.ChoiceFilter(choices=Category.choices, method="in_category")
    min_risk = django_filters.NumberFilter(field_name="risk", lookup_expr="gte")
    office = django_filters.CharFilter(field_name="office__code")

    class Meta:
        model = SubjectRisk
        fields = ["subject_type", "min_risk", "office"]

    def in_category(self, queryset, name, value):
        return queryset.filter(categories__contains=[value])


class CaseFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=CaseStatus.choices)
    assignee = django_filters.CharFilter(field_name="assignee__nip", label="Assignee NIP")

    class Meta:
        model = Case
        fields = ["status", "assignee"]
