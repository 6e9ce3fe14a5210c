"""Token authentication for applicant endpoints that loads the account with the user.

Applicants send their token on every booking attempt; reading the user and the account in
the token's own query spares each attempt a round trip (``account_of`` then needs none).
"""

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
        return token.user, token


class ApplicantTokenScheme(OpenApiAuthenticationExtension):
    """The same header as DRF's token scheme, under its own name in the OpenAPI schema."""

    target_class = ApplicantTokenAuthentication
    name = "applicantTokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": 'An applicant\'s token, prefixed with "Token ".'}
