"""The line between the applicants' pages (/apply/) and the staff portal, drawn once for every page.

Applicants and staff share one sign-in session machinery but never each other's pages:

- a signed-in applicant (an account holder with no staff profile) reaches /apply/, the API, the
  language switch and signing out; the staff home sends them to /apply/, and every other staff
  page answers 404, as for anything out of reach;
- a signed-in member of staff (or administrator) is refused the applicants' pages (403, see
  ``applicant_required``): they book nobody as an applicant.

Staff pages need no change for this: it holds for every page added later.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect

from bookings.models import Account

APPLICANT_NAMESPACE = "applicant"
# URL names open to applicants outside /apply/: the sign-in (it sends them home), signing out
# and the language switch.
OPEN_TO_APPLICANTS = frozenset({"login", "logout", "set_language"})
# Paths left to their own authentication (the API) or serving no person's data.
UNGUARDED_PREFIXES = ("/api/", "/static/", "/admin/")


def applicant_account_of(user) -> Account | None:
    """The account of a signed-in applicant; None for anyone else (staff, administrators, anonymous).

    Staff are ruled out first: their profile is read anyway by every staff page (``reach_of``),
    so staff pay no extra query here.
    """
    if user is None or not user.is_authenticated or not user.is_active or user.is_superuser:
        return None
    if getattr(user, "staff", None) is not None:
        return None
    return getattr(user, "applicant_account", None)


class ApplicantBoundaryMiddleware:
    """Keeps signed-in applicants on their own pages (after the authentication middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(UNGUARDED_PREFIXES) or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match is None or match.namespace == APPLICANT_NAMESPACE or match.url_name in OPEN_TO_APPLICANTS:
            return None
        if applicant_account_of(request.user) is None:
            return None
        if match.url_name == "home":
            return redirect("applicant:start")
        raise Http404
