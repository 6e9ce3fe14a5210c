"""django-filter filtersets for the office network."""

import django_filters

from .choices import OfficeType, Role
from .models import Assignment, Office, StaffProfile


class OfficeFilter(django_filters.FilterSet):
    type = django_filters.MultipleChoiceFilter(choices=OfficeType.choices)
    province = django_filters.CharFilter(field_name="region__code", label="Province code")
    parent = django_filters.CharFilter(field_name="parent__code", label="Parent Kanim code")
    is_active = django_filters.BooleanFilter()
    timezone = django_filters.CharFilter()
    q = django_filters.CharFilter(method="search", label="Name, code or city contains")

    class Meta:
        model = Office
        fields = ["type", "province", "parent", "is_active", "timezone"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value)
                               | Q(city__icontains=value))


class StaffFilter(django_filters.FilterSet):
    office = django_filters.CharFilter(field_name="assignments__office__code", distinct=True)
    role = django_filters.ChoiceFilter(field_name="assignments__role", choices=Role.choices,
                                       distinct=True)

    class Meta:
        model = StaffProfile
        fields = ["office", "role"]


class AssignmentFilter(django_filters.FilterSet):
    office = django_filters.CharFilter(field_name="office__code")
    role = django_filters.ChoiceFilter(choices=Role.choices)
    staff = django_filters.CharFilter(field_name="staff__nip")
    on = django_filters.DateFilter(method="in_force_on", label="In force on this date")

    class Meta:
        model = Assignment
        fields = ["office", "role", "staff"]

    def in_force_on(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(valid_from__lte=value)
                               & (Q(valid_until__isnull=True) | Q(valid_until__gte=value)))
