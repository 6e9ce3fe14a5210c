"""What every workbench page shares: the AUDIT gate and guarded links."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from offices.access import Capability


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

