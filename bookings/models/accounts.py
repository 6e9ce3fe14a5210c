"""Applicant accounts: the online identity that books for one person or a family."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


def default_booking_cap() -> int:
    return settings.BOOKING_ACCOUNT_CAP


class Account(models.Model):
    """An applicant's online account (pemohon). It may book for several people, a family say.

    Accounts imported from legacy systems have no login (``user`` is empty). ``active_bookings``
    is kept by a database trigger on bookings (see migration 0002), and a check constraint
    holds it within ``booking_cap``: that is where the cap is enforced, race-proof, whoever
    writes the booking.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="applicant_account",
    )
    ref = models.CharField(max_length=64, unique=True, help_text=_("Stable identifier in records."))
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=16, blank=True, help_text=_("Normalised to +62…"))
    verified = models.BooleanField(default=False)
    registration_ip = models.GenericIPAddressField(null=True, blank=True)
    registration_device = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField()
    agency_license = models.CharField(
        max_length=64, blank=True,
        help_text=_("Licence of the hajj/umrah travel agency using this account; empty for a person."),
    )
    details = models.JSONField(default=dict, blank=True)
    booking_cap = models.PositiveIntegerField(
        default=default_booking_cap, help_text=_("Bookings this account may hold at once."))
    active_bookings = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="account_active_bookings_within_cap",
                condition=Q(active_bookings__gte=0) & Q(active_bookings__lte=F("booking_cap")),
                violation_error_message=_("The account holds as many bookings as allowed."),
            ),
            models.CheckConstraint(
                name="account_phone_normalised",
                condition=Q(phone="") | Q(phone__regex=r"^\+628[0-9]{8,11}$"),
                violation_error_message=_("Phone numbers are stored as +628…"),
            ),
        ]
        indexes = [models.Index(fields=["registration_ip"]),
                   models.Index(fields=["registration_device"])]

    def __str__(self) -> str:
        return self.ref
