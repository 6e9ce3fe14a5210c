"""Token authentication for applicant endpoints that loads the account with the user.

Applicants send their token on every booking attempt; reading the user and the account in
the token's own query spares each attempt a round trip (``account_of`` then needs none).

Using a token counts as activity for account retention (``bookings.retention``, which reads
``last_login``): an applicant who only ever uses the API is not an idle account.
"""

import datetime as dt
import functools

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from bookings.models import Account
from passport_portal.model_rows import RowReader, fetch_row


@functools.cache
def _token_query() -> tuple[str, tuple[RowReader, RowReader, RowReader]]:
    """The token, its user and the user's account in one statement (passport_portal/model_rows.py).

    Written once: through the ORM the same join cost three times its execution, on every API
    request of every applicant, a booking stampede's included.
    """
    readers = (RowReader(Token, "t"), RowReader(get_user_model(), "u"), RowReader(Account, "a"))
    token, user, account = (reader.model._meta for reader in readers)
    user_key = f'u."{user.pk.column}"'
    sql = (f"SELECT {', '.join(reader.columns for reader in readers)} "  # noqa: S608  (the models' names)
           f'FROM "{token.db_table}" t '
           f'JOIN "{user.db_table}" u ON {user_key} = t."{token.get_field("user").column}" '
           f'LEFT JOIN "{account.db_table}" a ON a."{account.get_field("user").column}" = {user_key} '
           f'WHERE t."{token.pk.column}" = %s')
    return sql, readers


def token_with_user_and_account(key: str) -> Token | None:
    """The token ``key`` with ``token.user`` and ``token.user.applicant_account`` loaded, or None.

    What ``Token.objects.select_related("user__applicant_account").get(key=key)`` returns, the
    missing account included (reading it raises ``RelatedObjectDoesNotExist`` without a query).
    """
    sql, (tokens, users, accounts) = _token_query()
    row = fetch_row(sql, [key], prepared=True)
    if row is None:
        return None
    token = tokens.instance(row[:tokens.width])
    token.user = user = users.instance(row[tokens.width:tokens.width + users.width])
    account = accounts.instance(row[tokens.width + users.width:])
    if account is None:
        Account._meta.get_field("user").remote_field.set_cached_value(user, None)
    else:
        account.user = user  # also caches the account on the user
    return token


class ApplicantTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, with ``user.applicant_account`` joined in."""

    def authenticate_credentials(self, key):
        token = token_with_user_and_account(key)
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
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
