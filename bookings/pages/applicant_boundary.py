"""The line between the applicants' pages (/apply/) and the staff portal, held for every page.

The rule itself (who is an applicant, what each side may open) is ``offices.access.passage``;
this middleware only turns its answer into a response:

- a signed-in applicant is sent from the staff home to /apply/, and every other staff page
  answers 404, as for anything out of reach (/apply/, the API, the language switch and signing
  out stay open);
- a signed-in member of staff (or administrator) is refused the applicants' pages (403): they
  book nobody as an applicant.

Pages need no change for this: it holds for every page added later.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect

from offices.access import Passage, passage

from .applicant import staff_refused


class ApplicantBoundaryMiddleware:
    """Keeps applicants and staff each on their own pages (after the authentication middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None:
            return None
        answer = passage(request.user, path=request.path, namespace=match.namespace, url_name=match.url_name)
        if answer is Passage.APPLICANT_HOME:
            return redirect("applicant:start")
        if answer is Passage.HIDDEN:
            raise Http404
        if answer is Passage.REFUSED:
            return staff_refused(request)
        return None
