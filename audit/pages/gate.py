"""Who may open the audit pages: whoever holds AUDIT somewhere (offices/access.py).

Anyone else gets 404, as if the pages did not exist: the menu never shows them either.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from offices.access import Capability


def audit_page(view):
    """Sign-in required; then AUDIT, read once per request from ``request.reach``."""

    @login_required
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.reach.can(Capability.AUDIT):
            raise Http404
        return view(request, *args, **kwargs)

    return guarded
