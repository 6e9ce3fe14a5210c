"""The office network and the people who work in it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils.translation import gettext_lazy as _

from .choices import ZONE_LABELS, OfficeTimezone, OfficeType, Role
from .validators import validate_nip


class Region(models.Model):
    """A province. Its code is the statistics office's province code, as in a NIK's first two digits."""

    code = models.CharField(max_length=2, unique=True)
    name = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Office(models.Model):
    """A service point: a Kanim, or a unit (ULP, LTSP, UKK, MPP) that hangs under one Kanim.

    The hierarchy is one level deep, so a unit's parent must be a Kanim and a Kanim has no
    parent; that makes cycles impossible. The database enforces both rules (a check
    constraint and a trigger), so no code path can write a broken network.
    """

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=8, choices=OfficeType.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="units",
        help_text=_("The Kanim that supervises this unit; empty for a Kanim."),
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="offices")
    city = models.CharField(max_length=100, blank=True)
    timezone = models.CharField(max_length=32, choices=OfficeTimezone.choices)
    address = models.TextField(blank=True)
    opens_at = models.TimeField(default=dt.time(8, 0))
    closes_at = models.TimeField(default=dt.time(16, 0))
    daily_quota = models.PositiveIntegerField(
        default=100, help_text=_("Applicants served on a normal working day.")
    )
    is_active = models.BooleanField(default=True)
    is_sample = models.BooleanField(default=False, help_text=_("Part of the sample network."))
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Access scoping (offices/access.py): the path from this model to the office it belongs to.
    office_path = "pk"

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="office_parent_matches_type",
                condition=(Q(type=OfficeType.KANIM, parent__isnull=True)
                           | (~Q(type=OfficeType.KANIM) & Q(parent__isnull=False))),
                violation_error_message=_("A Kanim has no parent; every unit has a parent Kanim."),
            ),
            models.CheckConstraint(
                name="office_type_known",
                condition=Q(type__in=OfficeType.values),
                violation_error_message=_("Unknown office type."),
            ),
            models.CheckConstraint(
                name="office_timezone_known",
                condition=Q(timezone__in=OfficeTimezone.values),
                violation_error_message=_("Unknown time zone."),
            ),
            models.CheckConstraint(
                name="office_opens_before_closing",
                condition=Q(opens_at__lt=F("closes_at")),
                violation_error_message=_("Opening time must be before closing time."),
            ),
        ]
        indexes = [models.Index(fields=["type", "is_active"]), models.Index(fields=["region"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def zone(self) -> ZoneInfo:
        """The office's time zone: its day, hours and slots are in it."""
        return ZoneInfo(self.timezone)

    @property
    def zone_label(self) -> str:
        """WIB, WITA or WIT."""
        return ZONE_LABELS.get(self.timezone, self.timezone)

    @property
    def is_unit(self) -> bool:
        return self.type != OfficeType.KANIM

    def local_date(self, at: dt.datetime | None = None) -> dt.date:
        """The office's calendar date at ``at`` (now by default)."""
        from django.utils import timezone

        return (at or timezone.now()).astimezone(self.zone).date()


class StaffProfile(models.Model):
    """A civil servant known to the portal, identified by NIP.

    Staff imported from legacy records may have no login; those who use the portal have one.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="staff",
    )
    nip = models.CharField("NIP", max_length=18, unique=True, validators=[validate_nip])
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    office_path = "assignments__office"

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="staff_nip_is_18_digits",
                condition=Q(nip__regex=r"^[0-9]{18}$"),
                violation_error_message=_("A NIP has exactly 18 digits."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.nip})"


class Assignment(models.Model):
    """A dated posting: this person held this role at this office from one date until another.

    History is kept (assignments are ended, never deleted) so that analysis can tell who
    worked where on any day. One person holds one assignment at a time; the database refuses
    overlapping periods. ``valid_until`` is inclusive; empty means still in force.
    """

    staff = models.ForeignKey(StaffProfile, on_delete=models.PROTECT, related_name="assignments")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=16, choices=Role.choices)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    office_path = "office"

    class Meta:
        ordering = ["staff_id", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                name="assignment_period_ordered",
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                violation_error_message=_("An assignment cannot end before it starts."),
            ),
            models.CheckConstraint(
                name="assignment_role_known",
                condition=Q(role__in=Role.values),
                violation_error_message=_("Unknown role."),
            ),
            ExclusionConstraint(
                name="assignment_no_overlap",
                expressions=[
                    ("staff", RangeOperators.EQUAL),
                    (Func(F("valid_from"), F("valid_until"), Value("[]"), function="daterange"),
                     RangeOperators.OVERLAPS),
                ],
                violation_error_message=_("This person already has an assignment in that period."),
            ),
        ]
        indexes = [models.Index(fields=["office", "role", "valid_from"])]

    def __str__(self) -> str:
        until = self.valid_until.isoformat() if self.valid_until else "…"
        return f"{self.staff} – {self.role} at {self.office.code} ({self.valid_from}–{until})"

    def covers(self, day: dt.date) -> bool:
        """True when the assignment is in force on ``day``."""
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)
