"""The board's counter buttons: the next step of one of today's bookings, or a head's override.

Both post to the services the API uses, which decide everything: ``booking_step`` (OPERATE at
the office, the path, serving order, four eyes) and ``booking_override`` (MANAGE, a reason).
Reaching the board takes OPERATE, so anyone else gets 404 here too, like an office that does
not exist. With htmx the answer is the queue partial, swapped in place with the outcome in it
(a refusal keeps its status: 400, 403 or 409); without htmx a step done redirects to the board
and a refusal shows the board with its message and status.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bookings.errors import Conflict
from bookings.forms_office import CounterOverrideForm, CounterStepForm
from bookings.selectors_office import counter_booking, step_label
from bookings.services import booking_override, booking_step
from bookings.services.counter import STEPS
from offices.access import Capability
from offices.models import Office
from passport_portal.forms import REFUSALS
from passport_portal.request_meta import request_meta

from .office import board_page, office_or_404, queue_context

#: Refusals an office head may answer with an override of the same step.
OVERRIDABLE = frozenset({"four_eyes", "out_of_order"})
#: Response header telling portal.js to swap in a refused answer (htmx swaps only 2xx itself).
SWAP_REFUSAL = "X-Swap-Refusal"


def _message(exc: Exception) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else exc.message


def _status(exc: Exception) -> int:
    return 400 if isinstance(exc, ValidationError) else exc.status_code


def _form_message(form) -> str:
    """The form's errors in one line, each after its field's label."""
    return " ".join(f"{form.fields[name].label}: {error}" if name in form.fields else error
                    for name, errors in form.errors.items() for error in errors)


def _answer(request, office: Office, *, done: str = "", refusal: str = "", offer: dict | None = None,
            status: int = 200):
    """The queue with the outcome (htmx), else the board: redirected to when done, shown when refused."""
    outcome = {"counter_done": done, "counter_refusal": refusal, "offer_override": offer or {}}
    if request.headers.get("HX-Request") == "true":
        response = render(request, "office/partials/queue.html", queue_context(request, office) | outcome,
                          status=status)
        if status >= 400:
            response[SWAP_REFUSAL] = "true"
        return response
    if refusal:
        return board_page(request, office, outcome, status=status)
    messages.success(request, done)
    return redirect("office:board", code=office.code)


def _booking_or_404(office: Office, code: str):
    booking = counter_booking(office, code)
    if booking is None:
        raise Http404
    return booking


def _counter_action(request, code: str, form_class, act, offer_for, done: str):
    """The board's shared path: the form, the booking, the service ``act``, the answer.

    ``offer_for(exc, office)`` says whether a refusal comes with the offer of an override of
    the same step; ``done`` is the message of success, with the booking's code and the step.
    """
    office = office_or_404(request, code, Capability.OPERATE)
    form = form_class(request.POST)
    if not form.is_valid():
        return _answer(request, office, refusal=_form_message(form), status=400)
    data = form.cleaned_data
    booking = _booking_or_404(office, data["booking"])
    try:
        act(booking, data)
    except REFUSALS as exc:
        offer = {"booking": booking.code, "step": data["step"]} if offer_for(exc, office) else None
        return _answer(request, office, refusal=_message(exc), offer=offer, status=_status(exc))
    return _answer(request, office, done=done % {"code": booking.code,
                                                 "step": step_label(STEPS[data["step"]].action)})


@require_POST
@login_required
def counter_step(request, code: str):
    """Take a booking's next step from the board: ``booking_step`` decides."""
    def act(booking, data):
        booking_step(actor=request.user, booking=booking, step=data["step"], reason=data["reason"],
                     collected_by=data["collected_by"], meta=request_meta(request))

    def offer_for(exc, office):  # a head may answer these refusals with an override
        return (isinstance(exc, Conflict) and exc.code in OVERRIDABLE
                and request.reach.scopes[Capability.MANAGE].allows(office.pk))

    return _counter_action(request, code, CounterStepForm, act, offer_for, _("%(code)s: %(step)s recorded."))


@require_POST
@login_required
def counter_override(request, code: str):
    """An office head takes a step out of order or despite four eyes: ``booking_override`` decides."""
    def act(booking, data):
        booking_override(actor=request.user, booking=booking, step=data["step"], reason=data["reason"],
                         meta=request_meta(request))

    def offer_for(exc, office):  # a refused override form is shown again to be corrected
        return isinstance(exc, ValidationError)

    return _counter_action(request, code, CounterOverrideForm, act, offer_for,
                           _("%(code)s: %(step)s recorded by override."))
