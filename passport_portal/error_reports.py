"""Error reports (the mail to ADMINS, the DEBUG error page) with every NIK masked.

Django's reports show the request's POST data, local variables of each frame and the exception
text, any of which can hold an applicant's NIK; its filter only hides settings and parameters
marked sensitive. This reporter masks the finished report instead, so nothing is missed.
"""

from __future__ import annotations

from django.views.debug import ExceptionReporter

from passport_portal.logging_filters import mask_niks


class MaskedExceptionReporter(ExceptionReporter):
    """Django's exception reporter, with NIKs masked in the text and HTML reports."""

    def get_traceback_text(self):
        return mask_niks(super().get_traceback_text())

    def get_traceback_html(self):
        return mask_niks(super().get_traceback_html())
