"""Admin for the network. Querysets are scoped by the access policy; writes go through services."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from passport_portal.request_meta import request_meta

from . import access
from .access import Capability
from .models import Assignment, Office, Region, StaffProfile
from .services import (
    assignment_create,
    assignment_end,
    office_create,
    office_update,
    office_validate,
    staff_create,
)


class ScopedAdmin(admin.ModelAdmin):
    """Shows only what the policy lets the user see."""

    def get_queryset(self, request):
        return access.restrict(super().get_queryset(request), request.user, Capability.VIEW)

    def has_delete_permission(self, request, obj=None):
        return False  # history is kept: offices are deactivated, postings ended


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


class OfficeAdminForm(forms.ModelForm):
    """Shows the network's rules (a unit's parent must be a Kanim, …) as field errors."""

    class Meta:
        model = Office
        fields = ["code", "name", "type", "parent", "region", "city", "timezone", "address",
                  "opens_at", "closes_at", "daily_quota", "is_active", "is_sample", "details"]

    def _post_clean(self):
        super()._post_clean()  # copies the cleaned values onto the instance
        if not self.errors:
            try:
                office_validate(self.instance)
            except ValidationError as exc:
                self._update_errors(exc)


@admin.register(Office)
class OfficeAdmin(ScopedAdmin):
    form = OfficeAdminForm
    list_display = ["code", "name", "type", "parent", "region", "timezone", "daily_quota", "is_active"]
    list_filter = ["type", "timezone", "is_active", "is_sample", "region"]
    search_fields = ["code", "name", "city"]
    list_select_related = ["parent", "region"]
    autocomplete_fields = ["parent", "region"]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            office_update(actor=request.user, office=obj, meta=request_meta(request), **fields)
        else:
            fields = {name: form.cleaned_data[name] for name in form.cleaned_data}
            obj.pk = office_create(actor=request.user, meta=request_meta(request), **fields).pk


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    can_delete = False
    readonly_fields = ["office", "role", "valid_from", "valid_until"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(StaffProfile)
class StaffProfileAdmin(ScopedAdmin):
    list_display = ["nip", "name", "user"]
    search_fields = ["nip", "name"]
    inlines = [AssignmentInline]
    fields = ["nip", "name"]

    def get_readonly_fields(self, request, obj=None):
        return ["nip", "name"] if obj else []

    def save_model(self, request, obj, form, change):
        if not change:
            obj.pk = staff_create(actor=request.user, nip=obj.nip, name=obj.name,
                                  meta=request_meta(request)).pk


@admin.register(Assignment)
class AssignmentAdmin(ScopedAdmin):
    list_display = ["staff", "office", "role", "valid_from", "valid_until"]
    list_filter = ["role"]
    search_fields = ["staff__nip", "staff__name", "office__code"]
    list_select_related = ["staff", "office"]
    autocomplete_fields = ["staff", "office"]

    def get_readonly_fields(self, request, obj=None):
        # A posting's who, where and when it started are history; only its end can change.
        return ["staff", "office", "role", "valid_from"] if obj else []

    def save_model(self, request, obj, form, change):
        meta = request_meta(request)
        if change:
            assignment_end(actor=request.user, assignment=obj, valid_until=obj.valid_until, meta=meta)
        else:
            obj.pk = assignment_create(actor=request.user, staff=obj.staff, office=obj.office,
                                       role=obj.role, valid_from=obj.valid_from,
                                       valid_until=obj.valid_until, meta=meta).pk
