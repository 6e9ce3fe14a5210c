"""The capacity page: a date's slots, one slot's (or the day's) capacity changed with a reason,
the day closed or reopened, and the history of those changes. MANAGE at the office only.

Every form posts to ``bookings.services.capacity``, which checks the reason, refuses capacity
below what is booked and records the event; its messages are shown beside the fields.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bookings.calendar import slot_windows
from bookings.forms_office import CapacityChangeForm, DayCloseForm, DayForm, DayReopenForm
from bookings.selectors import slots_of_day
from bookings.selectors_office import capacity_history
from bookings.services import capacity_change, day_close, day_reopen, slots_materialise
from offices.access import Capability
from offices.models import Office
from passport_portal.forms import form_errors
from passport_portal.request_meta import request_meta

from .office import office_context, office_or_404

#: Service field names → the forms' names.
RENAME = {"slot_time": "slot", "service_date": "date"}


def _page(request, office: Office, day, *, change=None, close=None, reopen=None, day_form=None,
          status: int = 200):
    slots_materialise(office=office, service_date=day)
    slots = list(slots_of_day(office, day))
    chosen = request.GET.get("slot", "")
    change = change or CapacityChangeForm(windows=slot_windows(office), initial={"date": day, "slot": chosen})
    closed = bool(slots) and all(s.closed for s in slots)
    return render(request, "office/capacity.html", office_context(request, office, "capacity") | {
        "day": day, "slots": slots, "day_closed": closed,
        "closed_reason": slots[0].closed_reason if closed else "",
        "booked": sum(s.booked for s in slots), "capacity": sum(s.capacity for s in slots),
        "day_form": day_form or DayForm(initial={"date": day}),
        "change_form": change,
        "close_form": close or DayCloseForm(initial={"date": day}, auto_id="close-%s"),
        "reopen_form": reopen or DayReopenForm(initial={"date": day}, auto_id="reopen-%s"),
        "history": capacity_history(office),
    }, status=status)


@require_safe
@login_required
def capacity(request, code: str):
    """A date's slots (the office's today by default) with the forms and the change history."""
    office = office_or_404(request, code, Capability.MANAGE)
    day_form = DayForm(request.GET or None)
    if day_form.is_bound and not day_form.is_valid():
        return _page(request, office, office.local_date(), day_form=day_form, status=400)
    day = (day_form.cleaned_data.get("date") if day_form.is_bound else None) or office.local_date()
    return _page(request, office, day, day_form=day_form if day_form.is_bound else None)


def _back(office: Office, day) -> str:
    return f"{reverse('office:capacity', args=[office.code])}?date={day.isoformat()}"


def _submit(request, office: Office, form, *, slot: str, service, arguments, done, anchor: str = ""):
    """Hand a valid ``form`` to ``service`` (with ``arguments(data)``), then say ``done(data)`` and go
    back to its day; an invalid form or a refusal shows the page again with the form in ``slot``."""
    if form.is_valid():
        data = form.cleaned_data
        try:
            service(actor=request.user, office=office, meta=request_meta(request), **arguments(data))
        except ValidationError as exc:
            form_errors(form, exc, RENAME)
        else:
            messages.success(request, done(data))
            return redirect(_back(office, data["date"]) + anchor)
    day = form.cleaned_data.get("date") or office.local_date()
    return _page(request, office, day, status=400, **{slot: form})


def _day_arguments(data) -> dict:
    return {"service_date": data["date"], "reason": data["reason"]}


@require_POST
@login_required
def capacity_change_page(request, code: str):
    """Change one slot's capacity, or the whole day's, with a reason."""
    office = office_or_404(request, code, Capability.MANAGE)

    def done(data) -> str:
        slot = data["slot"].strftime("%H:%M") if data["slot"] else _("the whole day")
        return (_("Capacity of %(slot)s on %(day)s is now %(capacity)s.")
                % {"slot": slot, "day": data["date"].isoformat(), "capacity": data["capacity"]})

    return _submit(request, office, CapacityChangeForm(request.POST, windows=slot_windows(office)),
                   slot="change", service=capacity_change, done=done, anchor="#history",
                   arguments=lambda data: {"service_date": data["date"], "slot_time": data["slot"],
                                           "capacity": data["capacity"], "reason": data["reason"]})


@require_POST
@login_required
def day_close_page(request, code: str):
    """Close a day (a holiday) with a reason: nothing more is sold, bookings stay."""
    office = office_or_404(request, code, Capability.MANAGE)
    return _submit(request, office, DayCloseForm(request.POST, auto_id="close-%s"),
                   slot="close", service=day_close, arguments=_day_arguments,
                   done=lambda data: _("%(day)s is closed.") % {"day": data["date"].isoformat()})


@require_POST
@login_required
def day_reopen_page(request, code: str):
    """Open a closed day for booking again."""
    office = office_or_404(request, code, Capability.MANAGE)
    return _submit(request, office, DayReopenForm(request.POST, auto_id="reopen-%s"),
                   slot="reopen", service=day_reopen, arguments=_day_arguments,
                   done=lambda data: _("%(day)s is open again.") % {"day": data["date"].isoformat()})
