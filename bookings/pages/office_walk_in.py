"""The walk-in page: an officer or head books today's slot for someone at the counter.

``walk_in_insert`` checks the NIK, takes a place like any booking and records the event (or
the refusal); its messages are shown beside the field they concern.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bookings.calendar import slot_windows
from bookings.errors import DomainError
from bookings.forms_office import WalkInForm
from bookings.services import Applicant, walk_in_insert
from offices.access import Capability
from offices.models import Office
from passport_portal.forms import form_errors
from passport_portal.request_meta import request_meta

from .office import office_context, office_or_404


def _page(request, office: Office, form: WalkInForm, *, status: int = 200):
    return render(request, "office/walk_in.html", office_context(request, office, "walk_in") | {
        "form": form, "day": office.local_date()}, status=status)


def _applicant(data: dict) -> Applicant:
    return Applicant(nik=data["nik"], name=data["name"], birth_date=data["birth_date"],
                     phone=data["phone"], email=data["email"])


@require_http_methods(["GET", "POST"])
@login_required
def walk_in(request, code: str):
    """The walk-in form (GET) and its submission (POST); OPERATE at the office."""
    office = office_or_404(request, code, Capability.OPERATE)
    windows = slot_windows(office)
    if request.method != "POST":
        return _page(request, office, WalkInForm(windows=windows))
    form = WalkInForm(request.POST, windows=windows)
    if not form.is_valid():
        return _page(request, office, form, status=400)
    data = form.cleaned_data
    try:
        booking = walk_in_insert(actor=request.user, office=office, applicant=_applicant(data),
                                 service=data["service"], channel=data["channel"], slot_time=data["slot"],
                                 meta=request_meta(request))
    except ValidationError as exc:
        form_errors(form, exc)
        return _page(request, office, form, status=400)
    except DomainError as exc:
        field = exc.extra.get("field")
        form.add_error(field if field in form.fields else None, exc.message)
        return _page(request, office, form, status=exc.status_code)
    messages.success(request, _("Walk-in booked: code %(code)s, slot %(slot)s.")
                     % {"code": booking.code, "slot": booking.slot_time.strftime("%H:%M")})
    return redirect("office:board", code=office.code)
