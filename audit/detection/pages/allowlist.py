"""The allowlist page: entries in force, adding one with its reason, taking one off; the
entries taken off stay below as history. Adding and removing are audited by the services."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from passport_portal.forms import REFUSALS, form_errors
from passport_portal.request_meta import request_meta

from ..models import AllowlistEntry
from ..services import allowlist_add, allowlist_remove
from .common import audit_page
from .forms import AllowlistAddForm

#: Entries taken off the list shown as history, newest first.
HISTORY_SHOWN = 50


def _page(request, *, form=None, status: int = 200):
    entries = AllowlistEntry.objects.select_related("added_by__staff")
    return render(request, "detection/allowlist.html", {
        "entries": entries.filter(removed_at__isnull=True),
        "removed": entries.filter(removed_at__isnull=False).order_by("-removed_at")[:HISTORY_SHOWN],
        "form": form or AllowlistAddForm(), "tab": "allowlist",
    }, status=status)


@require_http_methods(["GET", "POST"])
@audit_page
def allowlist_page(request):
    """The list, and (POST) adding an entry."""
    if request.method == "GET":
        return _page(request)
    form = AllowlistAddForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    try:
        entry = allowlist_add(actor=request.user, meta=request_meta(request), **form.cleaned_data)
    except REFUSALS as exc:
        return _page(request, form=form, status=form_errors(form, exc))
    messages.success(request, _("%(value)s is on the allowlist.") % {"value": entry.value})
    return redirect("detection:allowlist")


@require_POST
@audit_page
def allowlist_remove_page(request, pk: int):
    """Take an entry off the list (a second click finds it already removed)."""
    entry = AllowlistEntry.objects.filter(pk=pk).first()
    if entry is None:
        raise Http404
    try:
        allowlist_remove(actor=request.user, entry=entry, meta=request_meta(request))
    except REFUSALS as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    else:
        messages.success(request, _("%(value)s is off the allowlist.") % {"value": entry.value})
    return redirect("detection:allowlist")
