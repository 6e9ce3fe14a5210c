"""Token authentication for applicant endpoints that loads the account with the user.

Applicants send their token on every booking attempt; reading the user and the account in
the token's own query spares each attempt a round trip (``account_of`` then needs none).

Using a token counts as activity for account retention (``bookings.retention``, which reads
``last_login``): an applicant who only ever uses the API is not an idle account.
"""

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


class ApplicantTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, with ``user.applicant_account`` joined in."""

    def authenticate_credentials(self, key):
        try:
            token = Token.objects.select_related("user__applicant_account").get(key=key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        note_activity(token.user)
        return token.user, token


#: How stale ``last_login`` may grow before a token request moves it. Retention counts in days,
#: so a day's precision costs it nothing and spares every other request a write.
ACTIVITY_PRECISION = dt.timedelta(days=1)


def note_activity(user) -> None:
    """Move ``user.last_login`` to now when it is older than a day (or unset).

    The user is already loaded, so a fresh value costs no query; a stale one costs one UPDATE,
    at most once a day per account. The UPDATE re-checks the age, so concurrent requests write
    once between them. ``user_logged_in`` is not sent: a token request is no sign-in, and the
    trail would gain an event per API call.
    """
    now = timezone.now()
    stale = now - ACTIVITY_PRECISION
    if user.last_login is not None and user.last_login >= stale:
        return
    type(user)._default_manager.filter(Q(last_login__isnull=True) | Q(last_login__lt=stale),
                                       pk=user.pk).update(last_login=now)
    user.last_login = now


class ApplicantTokenScheme(OpenApiAuthenticationExtension):
    """The same header as DRF's token scheme, under its own name in the OpenAPI schema."""

    target_class = ApplicantTokenAuthentication
    name = "applicantTokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": 'An applicant\'s token, prefixed with "Token ".'}
