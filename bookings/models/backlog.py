"""Clearance directives: a supervisor's order that an office clear its backlog by a date.

In December 2017 the Director General ordered every office with a backlog to clear it within
two weeks. A directive records such an order per office; issuing a new one supersedes the
office's current one, a supervisor may also withdraw it with a reason, and the history stays.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from offices.models import Office, StaffProfile

#: A directive in force: neither superseded by a newer one nor withdrawn.
IN_FORCE = Q(superseded_at__isnull=True, withdrawn_at__isnull=True)


def in_force_through(relation: str) -> Q:
    """``IN_FORCE`` seen from another model through ``relation`` (e.g. ``clearance_directives``)."""
    return Q(**{f"{relation}__superseded_at__isnull": True, f"{relation}__withdrawn_at__isnull": True})


class ClearanceDirectiveQuerySet(models.QuerySet):
    def in_force(self) -> ClearanceDirectiveQuerySet:
        """Directives neither superseded nor withdrawn (at most one per office)."""
        return self.filter(IN_FORCE)


class ClearanceDirective(models.Model):
    """An order that ``office`` clear its backlog by ``deadline`` (a date in the office's zone).

    ``extra_service_allowed`` says the office may serve overtime and on weekends to make it.
    A directive ends once: superseded by a newer one (``superseded_at``) or withdrawn by a
    supervisor with a reason (``withdrawn_at``, ``withdrawn_by``, ``withdraw_reason``). One
    directive per office is in force (neither set): a partial unique index holds that, so two
    supervisors issuing at once cannot leave two in force.
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
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(StaffProfile, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    # A database default, so rows written by SQL outside the portal start without a reason too.
    withdraw_reason = models.TextField(blank=True, default="", db_default="")

    office_path = "office"

    objects = ClearanceDirectiveQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["office"], condition=IN_FORCE,
                                    name="directive_one_current_per_office",
                                    violation_error_message=_("An office has one directive in force.")),
            models.CheckConstraint(
                name="directive_superseded_after_issue",
                condition=Q(superseded_at__isnull=True) | Q(superseded_at__gte=models.F("issued_at")),
                violation_error_message=_("A directive is superseded after it was issued."),
            ),
            models.CheckConstraint(
                name="directive_withdrawn_after_issue",
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("issued_at")),
                violation_error_message=_("A directive is withdrawn after it was issued."),
            ),
            models.CheckConstraint(
                name="directive_ends_once",
                condition=Q(superseded_at__isnull=True) | Q(withdrawn_at__isnull=True),
                violation_error_message=_("A directive is either superseded or withdrawn, not both."),
            ),
            models.CheckConstraint(
                name="directive_withdrawal_has_reason",
                condition=(Q(withdrawn_at__isnull=True, withdraw_reason="")
                           | (Q(withdrawn_at__isnull=False) & ~Q(withdraw_reason=""))),
                violation_error_message=_("A withdrawn directive says why, and only a withdrawn one."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office_id} by {self.deadline}"

    @property
    def in_force(self) -> bool:
        """Neither superseded nor withdrawn."""
        return self.superseded_at is None and self.withdrawn_at is None
