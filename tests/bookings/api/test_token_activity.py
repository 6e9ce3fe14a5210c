"""A token request counts as activity for account retention, at most one write a day per account."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.authtoken.models import Token

from audit.models import Event
from bookings.api.authentication import ApplicantTokenAuthentication
from bookings.models import Account
from bookings.retention import accounts_delete
from tests.bookings import builders

User = get_user_model()
RETENTION_DAYS = 100


def last_signed_in(user, when: dt.datetime | None) -> str:
    """Set ``user``'s last sign-in (and its account's registration, if older) and return a token."""
    User.objects.filter(pk=user.pk).update(last_login=when)
    if when is not None:
        Account.objects.filter(user=user).update(created_at=when)
    return Token.objects.get_or_create(user=user)[0].key


def test_a_token_request_moves_an_old_last_login_without_a_sign_in_event(network, api):
    user = builders.account_user()
    token = last_signed_in(user, timezone.now() - dt.timedelta(days=3))
    events = Event.objects.count()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    before = timezone.now()
    assert api.get("/api/v1/my/bookings/").status_code == 200
    assert User.objects.get(pk=user.pk).last_login >= before
    assert Event.objects.count() == events


def test_a_token_request_sets_a_last_login_never_set(network, api):
    user = builders.account_user()
    token = last_signed_in(user, None)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/my/bookings/").status_code == 200
    assert User.objects.get(pk=user.pk).last_login is not None


def test_a_second_token_request_the_same_day_writes_nothing(network, django_assert_num_queries):
    user = builders.account_user()
    token = last_signed_in(user, timezone.now() - dt.timedelta(days=1, seconds=1))
    authentication = ApplicantTokenAuthentication()
    with django_assert_num_queries(2) as first:  # the token with its user and account, the UPDATE
        authentication.authenticate_credentials(token)
    assert first.captured_queries[1]["sql"].startswith('UPDATE "auth_user"')
    moved = User.objects.get(pk=user.pk).last_login
    with django_assert_num_queries(1):  # the token with its user and account only
        authenticated, _token = authentication.authenticate_credentials(token)
    assert authenticated.last_login == moved == User.objects.get(pk=user.pk).last_login


def test_an_account_used_only_through_its_token_is_kept_by_retention(network, api):
    long_ago = timezone.now() - dt.timedelta(days=RETENTION_DAYS + 30)
    active, idle = builders.account_user(), builders.account_user()
    token = last_signed_in(active, long_ago)
    last_signed_in(idle, long_ago)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/my/bookings/").status_code == 200
    assert accounts_delete(days=RETENTION_DAYS).counts["accounts"] == 1
    assert list(Account.objects.values_list("user_id", flat=True)) == [active.pk]


def test_the_token_query_loads_what_the_orm_join_loads(network, django_assert_num_queries):
    from bookings.api.authentication import token_with_user_and_account

    applicant = builders.account_user()
    staff = User.objects.create_user("no-account", password="x" * 20)
    for user in (applicant, staff):
        key = Token.objects.get_or_create(user=user)[0].key
        expected = Token.objects.select_related("user__applicant_account").get(key=key)
        with django_assert_num_queries(1):
            token = token_with_user_and_account(key)
            fields = [(f.attname, getattr(token.user, f.attname)) for f in User._meta.concrete_fields]
            has_account = hasattr(token.user, "applicant_account")
            account = token.user.applicant_account if has_account else None
        assert (token.key, token.created, token.user_id) == (expected.key, expected.created, expected.user_id)
        assert fields == [(f.attname, getattr(expected.user, f.attname)) for f in User._meta.concrete_fields]
        assert has_account == (user == applicant)
        if has_account:
            assert [getattr(account, f.attname) for f in Account._meta.concrete_fields] == \
                [getattr(expected.user.applicant_account, f.attname) for f in Account._meta.concrete_fields]
            assert account.user is token.user
    assert token_with_user_and_account("0" * 40) is None
