"""What every page form shares: a service's refusal shown on the form that was submitted."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError

from offices.errors import DomainError

#: What a service may refuse with: invalid input (400), a rule (403), the current state (409), a limit (429).
REFUSALS = (ValidationError, DomainError)


def form_errors(form, exc: ValidationError | DomainError, rename: Mapping[str, str] | None = None) -> int:
    """Put a service's refusal on ``form`` and return the status the page answers with.

    A ``ValidationError``'s field messages go beside the form's fields (``rename`` maps a
    service's field name to the form's, where they differ); messages about anything the form
    does not show go above it (400). A domain refusal's message goes above the form, and the
    page answers with its status.
    """
    if isinstance(exc, DomainError):
        form.add_error(None, exc.message)
        return exc.status_code
    rename = rename or {}
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for name, messages in errors.items():
        target = rename.get(name, name)
        for message in messages:
            form.add_error(target if target in form.fields else None, message)
    return 400
