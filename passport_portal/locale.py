"""Language choice: Bahasa Indonesia unless the person picked English with the switch.

Django's LocaleMiddleware would follow the browser's Accept-Language, so an officer whose
browser happens to be set to English would get English pages. The portal's default is
Indonesian; only the language cookie written by the switch (/i18n/setlang/) changes it.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PortalLocaleMiddleware(LocaleMiddleware):
    """Activate the switch's language (cookie) or ``LANGUAGE_CODE``; ignore Accept-Language."""

    def process_request(self, request):
        supported = {code for code, _name in settings.LANGUAGES}
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
