"""Template filters of the board's counter buttons: which steps a booking's status leads to.

They only read the status (no query), through the counter service's own rules
(``next_steps``, ``override_steps``), so the board offers what the service would take.
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from bookings.services.counter import PATH, STEPS, next_steps, override_steps

register = template.Library()

#: The words on each step's button.
BUTTONS = {
    "check_in": _("Check in"),
    "verify_documents": _("Verify documents"),
    "capture_biometrics": _("Capture photo and fingerprints"),
    "interview": _("Record interview"),
    "approve": _("Approve"),
    "reject": _("Reject"),
    "print": _("Print"),
    "hand_over": _("Hand over"),
}
#: The board offers overrides up to the decision: serving order, four eyes, a step skipped on the
#: way to it. Printing or handing over without a decision stays an API call, never a click.
DECIDED = PATH.index(STEPS["approve"].to)


@register.filter
def step_buttons(status: str) -> list[tuple[str, str]]:
    """The forward steps from ``status`` as (step, button words); rejection is offered apart."""
    return [(name, BUTTONS[name]) for name in next_steps(status) if name != "reject"]


@register.filter
def may_reject(status: str) -> bool:
    """True while the application is in process (checked in, not yet decided)."""
    return "reject" in next_steps(status)


@register.filter
def override_choices(status: str) -> list[tuple[str, str]]:
    """The steps an office head may take from ``status`` by override on the board."""
    return [(name, BUTTONS[name]) for name in override_steps(status)
            if STEPS[name].to in PATH and PATH.index(STEPS[name].to) <= DECIDED]
