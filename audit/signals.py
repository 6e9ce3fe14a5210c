"""Login, logout and failed-login events.

Django's authentication signals are the one place these happen for every entry point (pages,
admin, API session login), so the trail listens to them; all other writes record their
events explicitly in service functions.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from passport_portal.request_meta import request_meta

from .actions import Action, ActorType
from .trail import Actor, actor_for_user, event_record


def _login_action(actor: Actor, *, staff: Action, account: Action) -> Action | None:
    if actor.type == ActorType.STAFF or actor.type == ActorType.SYSTEM:
        return staff
    if actor.type == ActorType.ACCOUNT:
        return account
    return None


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs) -> None:
    actor = actor_for_user(user)
    action = _login_action(actor, staff=Action.STAFF_LOGIN, account=Action.ACCOUNT_LOGIN)
    if action:
        with transaction.atomic():
            event_record(actor=actor, action=action, meta=request_meta(request))


@receiver(user_logged_out)
def record_logout(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    actor = actor_for_user(user)
    action = _login_action(actor, staff=Action.STAFF_LOGOUT, account=Action.ACCOUNT_LOGOUT)
    if action:
        with transaction.atomic():
            event_record(actor=actor, action=action, meta=request_meta(request))


@receiver(user_login_failed)
def record_failed_login(sender, credentials, request=None, **kwargs) -> None:
    """Record a failed login against the account it named, if that account exists."""
    username = str(credentials.get("username", ""))[:150]
    user = get_user_model().objects.filter(username=username).select_related("staff").first()
    actor = actor_for_user(user) if user else Actor.anonymous()
    is_account = actor.type == ActorType.ACCOUNT
    action = Action.ACCOUNT_LOGIN_FAILED if is_account else Action.STAFF_LOGIN_FAILED
    # The attempted name is kept only when it matches no one: it may be a typed password.
    details = {} if user else {"attempted_username_length": len(username)}
    with transaction.atomic():
        event_record(actor=actor, action=action, details=details, meta=request_meta(request))
