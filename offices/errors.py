"""Domain errors raised by service functions and mapped to HTTP answers in one place.

Validation problems use Django's ``ValidationError`` with a message per field (400). The
errors here are refusals of a valid request: a conflict with the current state (409), a
limit (429), or a rule of access that is not a matter of visibility (403).
"""

from __future__ import annotations


class DomainError(Exception):
    """A refusal with a stable code, a readable message and an HTTP status."""

    status_code = 400
    default_code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.extra = extra or {}


class Conflict(DomainError):
    """The request is valid but the current state refuses it (a full slot, a taken NIK)."""

    status_code = 409
    default_code = "conflict"


class LimitReached(DomainError):
    """Too many attempts: retry after ``retry_after`` seconds."""

    status_code = 429
    default_code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int, code: str | None = None, extra=None):
        super().__init__(message, code=code, extra=extra)
        self.retry_after = retry_after


class NotAllowed(DomainError):
    """The actor may see the object but may not do this to it."""

    status_code = 403
    default_code = "not_allowed"
