"""What every workbench page shares: the AUDIT gate, guarded links, and showing a service's refusal."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from offices.access import Capability
from offices.errors import DomainError

#: What a service may refuse with: invalid input (400), a rule (403), the current state (409).
REFUSALS = (ValidationError, DomainError)


def audit_page(view):
    """Signed in and holding AUDIT somewhere, or 404 (officers and office heads never learn of it)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.reach.can(Capability.AUDIT):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def url_or_none(name: str, *args) -> str | None:
    """The URL of ``name``, or None while that page does not exist (pages built elsewhere)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def form_errors(form, exc: Exception) -> int:
    """Put a service's refusal on ``form`` (field messages beside their fields) and return the
    status the page answers with."""
    if isinstance(exc, ValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
        for name, messages in errors.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
        return 400
    form.add_error(None, exc.message)
    return exc.status_code
