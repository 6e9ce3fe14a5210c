"""Refusals of booking attempts, each with a stable code that is also the trail's reason code."""

from __future__ import annotations

from offices.errors import Conflict, DomainError, LimitReached

from .choices import RefusalReason

__all__ = ["BookingRefused", "Conflict", "DomainError", "LimitReached", "refusal_reason"]


class BookingRefused(DomainError):
    """A booking request that is well-formed but refused by a rule about its input (400)."""

    status_code = 400
    default_code = RefusalReason.INVALID_INPUT


def refusal_reason(exc: Exception) -> str:
    """The reason code for the trail: a domain error's code, or ``invalid_input``."""
    code = getattr(exc, "code", None)
    return code if isinstance(exc, DomainError) and code else RefusalReason.INVALID_INPUT
