"""Request metadata (request id, IP, user agent) as a small value passed to services.

Services never read the current request; adapters build a ``RequestMeta`` with
``request_meta(request)`` and hand it on, so the audit trail records where an action came from.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"


@dataclass(frozen=True, slots=True)
class RequestMeta:
    """Where an action came from: kept on its audit event."""

    request_id: str = ""
    ip: str | None = None
    user_agent: str = ""


NO_REQUEST = RequestMeta()


def request_meta(request) -> RequestMeta:
    """Build the metadata of an HTTP request (DRF or plain Django)."""
    if request is None:
        return NO_REQUEST
    meta = request.META
    # The first proxy hop is the client only behind a trusted proxy; REMOTE_ADDR otherwise.
    ip = meta.get("REMOTE_ADDR") or None
    return RequestMeta(
        request_id=getattr(request, "request_id", "") or meta.get(REQUEST_ID_HEADER, "")[:64],
        ip=ip,
        user_agent=meta.get("HTTP_USER_AGENT", "")[:400],
    )


class RequestIdMiddleware:
    """Give every request an id (kept from X-Request-ID when sent) and echo it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get(REQUEST_ID_HEADER, "")
        request.request_id = incoming[:64] if incoming else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response
