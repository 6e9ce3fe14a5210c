"""Rate limits on booking attempts per account, device and IP, counted in the database.

One conditional upsert per attempt counts it in every scope at once, in fixed windows of
``BOOKING_RATE_WINDOW_SECONDS``. A counter at its limit is not incremented and its row is not
returned; that is the refusal. The statement runs on its own, before and apart from the
booking transaction, so an attempt is counted even when the booking then fails. Rows are
locked in a fixed scope order (account, device, IP), so concurrent attempts never deadlock.
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.choices import RateScope, RefusalReason
from bookings.errors import LimitReached
from passport_portal.prepared import prepared_cursor

UPSERT = """
INSERT INTO bookings_ratecounter (scope, key, window_start, count)
VALUES {values}
ON CONFLICT (scope, key, window_start) DO UPDATE SET count = bookings_ratecounter.count + 1
WHERE bookings_ratecounter.count < (CASE bookings_ratecounter.scope
    WHEN 'account' THEN %s WHEN 'device' THEN %s ELSE %s END)
RETURNING scope
"""


def window_start(now: dt.datetime) -> dt.datetime:
    """The start of the fixed window ``now`` falls in (aligned on the epoch, UTC)."""
    seconds = settings.BOOKING_RATE_WINDOW_SECONDS
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % seconds, tz=dt.UTC)


def limits() -> dict[str, int]:
    return {RateScope.ACCOUNT: settings.BOOKING_RATE_PER_ACCOUNT,
            RateScope.DEVICE: settings.BOOKING_RATE_PER_DEVICE,
            RateScope.IP: settings.BOOKING_RATE_PER_IP}


def rate_limit_take(*, account_ref: str | None, device: str | None, ip: str | None,
                    now: dt.datetime | None = None) -> None:
    """Count one booking attempt; raise ``LimitReached`` (with Retry-After) when over a limit."""
    now = now or timezone.now()
    start = window_start(now)
    keys = [(RateScope.ACCOUNT, account_ref), (RateScope.DEVICE, device), (RateScope.IP, ip)]
    keys = [(scope, str(key)[:128]) for scope, key in keys if key]
    if not keys:
        return
    params: list = []
    for scope, key in keys:
        params += [scope.value, key, start]
    ceiling = limits()
    params += [ceiling[RateScope.ACCOUNT], ceiling[RateScope.DEVICE], ceiling[RateScope.IP]]
    values = ", ".join(["(%s, %s, %s, 1)"] * len(keys))
    with prepared_cursor() as cursor:  # on every attempt: planned once per connection
        cursor.execute(UPSERT.format(values=values), params)
        counted = {row[0] for row in cursor.fetchall()}
    over = [scope for scope, _key in keys if scope.value not in counted]
    if over:
        window_end = start + dt.timedelta(seconds=settings.BOOKING_RATE_WINDOW_SECONDS)
        retry_after = max(1, math.ceil((window_end - now).total_seconds()))
        raise LimitReached(
            _("Too many booking attempts; try again later."), retry_after=retry_after,
            code=RefusalReason.RATE_LIMITED, extra={"scopes": [s.value for s in over]},
        )


def rate_counters_prune(*, before: dt.datetime) -> int:
    """Delete counters of windows that started before ``before``; returns how many.

    Counters are bookkeeping, not history (every refused attempt is in the trail).
    """
    from bookings.models import RateCounter

    deleted, _detail = RateCounter.objects.filter(window_start__lt=before).delete()
    return deleted
