"""Admin for detection: detector settings and the allowlist, written through the audited services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from offices import access
from offices.access import Capability
from passport_portal.request_meta import request_meta

from .models import AllowlistEntry, DetectionRun, DetectorSetting
from .services import allowlist_add, allowlist_remove, detector_params, detector_setting_update
from .services.settings import detector_params_validate


class AuditorsOnly(admin.ModelAdmin):
    """Visible to people holding the AUDIT capability; nothing is deleted."""

    def has_module_permission(self, request):
        return not access.scope_for(request.user, Capability.AUDIT).is_empty

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


class DetectorSettingForm(forms.ModelForm):
    """Checks the parameters against the detector's defaults, showing problems on the field."""

    class Meta:
        model = DetectorSetting
        fields = ["enabled", "params"]

    def clean(self):
        cleaned = super().clean()
        try:
            detector_params_validate(self.instance.detector, cleaned.get("params") or {})
        except ValidationError as exc:
            self.add_error("params", exc.message_dict["params"])
        return cleaned


@admin.register(DetectorSetting)
class DetectorSettingAdmin(AuditorsOnly):
    form = DetectorSettingForm
    list_display = ["detector", "enabled", "params", "updated_at"]
    readonly_fields = ["detector", "effective", "updated_at"]

    def has_add_permission(self, request):
        return False  # every detector has its row; see detector_settings_sync

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    @admin.display(description="In force (defaults and overrides)")
    def effective(self, obj):
        return detector_params(obj.detector, obj)

    def save_model(self, request, obj, form, change):
        detector_setting_update(actor=request.user, detector=obj.detector,
                                enabled=form.cleaned_data["enabled"],
                                params=form.cleaned_data["params"] or {}, meta=request_meta(request))


@admin.register(AllowlistEntry)
class AllowlistEntryAdmin(AuditorsOnly):
    list_display = ["kind", "value", "reason", "added_by", "added_at", "removed_at"]
    list_filter = ["kind", ("removed_at", admin.EmptyFieldListFilter)]
    search_fields = ["value", "reason"]
    fields = ["kind", "value", "reason"]
    actions = ["remove"]

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return obj is None and self.has_module_permission(request)

    def save_model(self, request, obj, form, change):
        entry = allowlist_add(actor=request.user, kind=obj.kind, value=obj.value, reason=obj.reason,
                              meta=request_meta(request))
        obj.pk = entry.pk

    @admin.action(description="Remove from the allowlist (kept in its history)")
    def remove(self, request, queryset):
        for entry in queryset.filter(removed_at__isnull=True):
            allowlist_remove(actor=request.user, entry=entry, meta=request_meta(request))
        messages.success(request, "Removed.")


@admin.register(DetectionRun)
class DetectionRunAdmin(AuditorsOnly):
    list_display = ["id", "kind", "status", "started_at", "finished_at", "findings_total"]
    list_filter = ["kind", "status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
