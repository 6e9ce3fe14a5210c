"""Fixed-window counters of booking attempts, for rate limits that hold across processes."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from bookings.choices import RateScope


class RateCounter(models.Model):
    """Attempts by one account, device or IP in one fixed window.

    Taken with one conditional upsert per attempt (``rate_limit_take``), so concurrent
    requests on any number of workers never count past the limit.
    """

    scope = models.CharField(max_length=8, choices=RateScope.choices)
    key = models.CharField(max_length=128)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key", "window_start"],
                                    name="rate_counter_unique_window"),
            models.CheckConstraint(name="rate_counter_scope_known",
                                   condition=Q(scope__in=RateScope.values)),
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key} @ {self.window_start:%Y-%m-%d %H:%M} = {self.count}"
