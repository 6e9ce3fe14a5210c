"""What every page's layout needs: the menu for this person and the current entry."""

from __future__ import annotations

from django.conf import settings

from . import navigation


def _sign_in_policy() -> dict:
    return {"failures": settings.AXES_FAILURE_LIMIT, "lock_minutes": round(settings.AXES_COOLOFF_TIME * 60),
            "idle_minutes": settings.SESSION_COOKIE_AGE // 60}


def portal(request) -> dict:
    """The menu (by capability), the current entry's key, the languages, the sign-in policy."""
    reach = getattr(request, "reach", None)
    if reach is None or not request.user.is_authenticated:
        return {"nav_items": [], "nav_current": "", "portal_languages": settings.LANGUAGES,
                "sign_in_policy": _sign_in_policy()}
    # A person still owing the second factor sees no menu: nothing else opens for them.
    owes_factor = reach.needs_second_factor and not request.user.is_verified()
    items = [] if owes_factor else navigation.items_for(reach)
    match = getattr(request, "resolver_match", None)
    current = ""
    if match is not None:
        name = match.view_name
        for item in items:
            if name == item.url_name or name in item.also_current:
                current = item.key
    return {"nav_items": items, "nav_current": current, "portal_languages": settings.LANGUAGES,
            "sign_in_policy": _sign_in_policy()}
