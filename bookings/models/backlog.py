"""Clearance directives: a supervisor's order that an office clear its backlog by a date.

In December 2017 the Director General ordered every office with a backlog to clear it within
two weeks. A directive records such an order per office; issuing a new one supersedes the
office's current one, and the history stays.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from offices.models import Office, StaffProfile


class ClearanceDirective(models.Model):
    """An order that ``office`` clear its backlog by ``deadline`` (a date in the office's zone).

    ``extra_service_allowed`` says the office may serve overtime and on weekends to make it.
    One directive per office is current (``superseded_at`` empty): a partial unique index
    holds that, so two supervisors issuing at once cannot leave two in force.
    """

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="clearance_directives")
    deadline = models.DateField()
    note = models.TextField(blank=True)
    extra_service_allowed = models.BooleanField(
        default=False, help_text=_("Overtime and weekend service allowed to meet the deadline."))
    issued_by = models.ForeignKey(StaffProfile, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    issued_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)

    office_path = "office"

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["office"], condition=Q(superseded_at__isnull=True),
                                    name="directive_one_current_per_office",
                                    violation_error_message=_("An office has one directive in force.")),
            models.CheckConstraint(
                name="directive_superseded_after_issue",
                condition=Q(superseded_at__isnull=True) | Q(superseded_at__gte=models.F("issued_at")),
                violation_error_message=_("A directive is superseded after it was issued."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office_id} by {self.deadline}"
