"""Page-level security wiring: the Content-Security-Policy header and the second-factor gate.

Both are middleware so that every page, including those added later by other apps, gets
them without asking.
"""

from __future__ import annotations

from urllib.parse import unquote_plus, urlencode

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from offices.access import reach_of

# URL names served with the relaxed policy: drf-spectacular's Swagger UI and Redoc pages.
RELAXED_VIEWS = frozenset({"api-docs", "api-redoc"})
# Pages a person who still owes the second factor may open (URL names): the 2FA pages, signing
# out, the language switch, and the API's description (schema and docs hold no data).
SIGN_IN_PAGES = ("/account/two-factor/",)
SECOND_FACTOR_OPEN = frozenset({"two-factor-setup", "two-factor-verify", "logout", "set_language",
                                "schema", "api-docs", "api-redoc"})


class RefuseNulCharactersMiddleware:
    """Answer 400 to a path or query string holding a NUL character.

    No code, NIP, date or filter of the portal contains one, and PostgreSQL cannot compare text
    with one: let through, it turns an object lookup into a 500 instead of a 404 or 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in unquote_plus(request.META.get("QUERY_STRING", "")):
            raise BadRequest("NUL character in the address.")
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Send the policy from ``settings.CONTENT_SECURITY_POLICY``: only the portal's own origin.

    No page has an inline script or style; htmx is configured through a meta tag, so the
    policy needs neither ``'unsafe-inline'`` nor ``'unsafe-eval'``.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY
        self.relaxed = settings.CONTENT_SECURITY_POLICY_RELAXED

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        # The API's own documentation pages (third-party templates) carry inline code.
        relaxed = match is not None and match.url_name in RELAXED_VIEWS
        response.setdefault("Content-Security-Policy", self.relaxed if relaxed else self.policy)
        return response


class SecondFactorRequiredMiddleware:
    """Until a supervisor or auditor has passed TOTP in this session, only the 2FA pages open.

    Sets ``request.reach`` (roles and capability scopes, read once and only when used) for the
    pages and the navigation. Requests authenticated by an API token are not seen here (DRF
    authenticates them later); the token itself is only issued after a TOTP check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.reach = SimpleLazyObject(lambda: reach_of(request.user))
        response = self.get_response(request)
        if getattr(request, "htmx", False) and response.status_code == 302:
            location = response["Location"]
            if location.startswith((settings.LOGIN_URL, *SIGN_IN_PAGES)):
                # A fragment request after the session ended (or before the second factor):
                # send the whole page to sign in, not the sign-in form into a table cell.
                return HttpResponseClientRedirect(location)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified() or not request.reach.needs_second_factor:
            return None
        match = request.resolver_match
        if match is not None and match.url_name in SECOND_FACTOR_OPEN:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"code": "second_factor_required",
                 "detail": _("Verify your second factor in the portal before using the API.")},
                status=403,
            )
        has_device = user.totpdevice_set.filter(confirmed=True).exists()
        target = "two-factor-verify" if has_device else "two-factor-setup"
        response = redirect(target)
        if request.method == "GET":
            response["Location"] += "?" + urlencode({"next": request.get_full_path()})
        return response
