"""Capacity: how many applicants an office serves in each time slot of a day."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from offices.models import Office


class Slot(models.Model):
    """One time window of one office-day, with its capacity and how many places are taken.

    Rows are made lazily and idempotently per office-day (``capacity_materialise``) from the
    office's daily quota, spread over its opening hours. ``booked`` only ever moves through
    conditional UPDATEs (``booked < capacity AND NOT closed``), and the check constraint
    ``slot_booked_within_capacity`` makes overbooking impossible even for raw SQL. A head may
    lower capacity only down to what is booked: to stop selling, lower it to that or close.
    """

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="slots")
    service_date = models.DateField()
    starts_at = models.TimeField(help_text=_("Office-local start of the window."))
    ends_at = models.TimeField(help_text=_("Office-local end of the window."))
    capacity = models.PositiveIntegerField()
    booked = models.PositiveIntegerField(default=0)
    closed = models.BooleanField(default=False)
    closed_reason = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    office_path = "office"

    class Meta:
        ordering = ["office_id", "service_date", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["office", "service_date", "starts_at"],
                                    name="slot_unique_per_office_day_time"),
            models.CheckConstraint(
                name="slot_booked_within_capacity",
                condition=Q(booked__gte=0) & Q(booked__lte=F("capacity")),
                violation_error_message=_("A slot cannot hold more bookings than its capacity."),
            ),
            models.CheckConstraint(
                name="slot_window_ordered", condition=Q(starts_at__lt=F("ends_at")),
                violation_error_message=_("A slot ends after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office_id} {self.service_date} {self.starts_at:%H:%M} {self.booked}/{self.capacity}"

    @property
    def available(self) -> int:
        return 0 if self.closed else max(self.capacity - self.booked, 0)
