"""Accounts with nothing left attached and no sign-in past ACCOUNT_RETENTION_DAYS are deleted."""

from __future__ import annotations

import datetime as dt

from axes.models import AccessLog
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from audit.actions import Action
from audit.models import Event
from audit.retention import cutoff_moment
from bookings.models import Account, Booking
from bookings.retention import Hold, accounts_delete, bookings_anonymise
from tests.bookings import builders

from .aging import DAYS, cancelled, cutoff


def idle(user, *, since: dt.datetime) -> Account:
    """Make ``user``'s account created and last signed in at ``since``."""
    Account.objects.filter(user=user).update(created_at=since)
    get_user_model().objects.filter(pk=user.pk).update(last_login=since)
    return Account.objects.get(user=user)


def run(**kwargs):
    return accounts_delete(days=DAYS, **kwargs)


def test_an_idle_account_goes_with_its_login_and_a_sign_in_on_the_boundary_keeps_one(network, day):
    just_kept = builders.account_user("kept@example.invalid")
    gone = builders.account_user("gone@example.invalid")
    Token.objects.create(user=gone)
    for user in (gone, just_kept):
        AccessLog.objects.create(username=user.username, ip_address="10.0.0.9", user_agent="test",
                                 http_accept="*/*", path_info="/apply/login/")
    idle(just_kept, since=cutoff_moment(cutoff()))
    account = idle(gone, since=cutoff_moment(cutoff()) - dt.timedelta(seconds=1))
    result = run()
    assert result.counts == {"accounts": 1, "logins": 1, "sign_in_records": 1}
    assert not Account.objects.filter(pk=account.pk).exists()
    assert not get_user_model().objects.filter(pk=gone.pk).exists()
    assert not Token.objects.filter(user_id=gone.pk).exists()
    assert list(AccessLog.objects.values_list("username", flat=True)) == [just_kept.username]
    assert Account.objects.filter(user=just_kept).exists()


def test_an_account_with_a_booking_attached_stays_until_the_booking_is_anonymised(network, day):
    user = builders.account_user("ani2@example.invalid")
    long_ago = cutoff() - dt.timedelta(days=10)
    booking = cancelled(user, network.kanim_a, day, on=long_ago)
    account = idle(user, since=cutoff_moment(long_ago))
    assert run().counts["accounts"] == 0
    bookings_anonymise(days=DAYS)
    assert run().counts["accounts"] == 1
    assert not Account.objects.filter(pk=account.pk).exists()
    assert Booking.objects.get(pk=booking.pk).anonymised_at is not None


def test_an_active_booking_keeps_its_account_whatever_the_dates(network, day):
    user = builders.account_user("budi2@example.invalid")
    builders.booking(user, network.kanim_a, day)
    idle(user, since=cutoff_moment(cutoff()) - dt.timedelta(days=400))
    assert run().counts["accounts"] == 0


def test_an_account_without_a_login_counts_from_its_creation(network):
    old = Account.objects.create(ref="acc_legacy_old", created_at=cutoff_moment(cutoff()) - dt.timedelta(days=1))
    new = Account.objects.create(ref="acc_legacy_new", created_at=cutoff_moment(cutoff()) + dt.timedelta(days=1))
    assert run().counts == {"accounts": 1, "logins": 0, "sign_in_records": 0}
    assert set(Account.objects.filter(pk__in=[old.pk, new.pk]).values_list("ref", flat=True)) == {"acc_legacy_new"}


def test_a_held_account_is_kept(network):
    Account.objects.create(ref="acc_held", created_at=cutoff_moment(cutoff()) - dt.timedelta(days=1))
    hold = Hold("test", "SELECT 'acc_held' AS ref")
    assert run(holds=[hold], dry_run=True).counts["accounts"] == 0
    assert run(holds=[hold]).counts["accounts"] == 0
    assert Account.objects.filter(ref="acc_held").exists()


def test_a_dry_run_deletes_nothing_and_a_second_run_nothing_more(network):
    Account.objects.create(ref="acc_idle", created_at=cutoff_moment(cutoff()) - dt.timedelta(days=1))
    assert run(dry_run=True).counts == {"accounts": 1}
    assert Account.objects.filter(ref="acc_idle").exists()
    assert not Event.objects.filter(action=Action.RETENTION_APPLY).exists()
    assert run().counts["accounts"] == 1
    assert run().counts == {"accounts": 0, "logins": 0, "sign_in_records": 0}
    assert Event.objects.filter(action=Action.RETENTION_APPLY, target_id="accounts").count() == 1
