"""The booking: one applicant's application for one passport service at one office-day."""

from __future__ import annotations

import secrets
import uuid

from django.core import signing
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bookings.choices import ACTIVE_STATUSES, BookingStatus, Channel, Service
from bookings.identity import mask_nik
from offices.models import Office, StaffProfile

from .accounts import Account
from .capacity import Slot

# Crockford's base32 without I, L, O, U: codes read aloud at a counter are not misheard.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
QR_SALT = "bookings.qr"


def new_booking_ref() -> str:
    return f"bk_{uuid.uuid4().hex}"


def new_booking_code() -> str:
    """Ten characters from a 32-letter alphabet: about 10^15 codes, guessing one is hopeless."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def _staff_step(name: str) -> models.ForeignKey:
    return models.ForeignKey(StaffProfile, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+",
                             # Lazy, so the text is not frozen in whatever language loads the module.
                             help_text=format_lazy(_("Officer who {}."), name))


class Booking(models.Model):
    """An application: who (NIK, name, birth date, contacts), where, when, for what, and how far.

    Online bookings and walk-ins take a place in a ``Slot``; history imported from legacy
    systems (``imported``) takes none and is kept exactly as it was, broken rules included,
    so the live rules (one active booking per NIK, the account cap) do not apply to it.
    Every counter step keeps its officer and time, for the next steps and for detection.
    """

    ref = models.CharField(max_length=64, unique=True, default=new_booking_ref)
    code = models.CharField(max_length=16, unique=True, default=new_booking_code,
                            help_text=_("Booking code the applicant shows at the counter."))
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="bookings")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="bookings")
    slot = models.ForeignKey(Slot, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="bookings")
    service_date = models.DateField()
    slot_time = models.TimeField(help_text=_("Office-local start of the slot."))
    service = models.CharField(max_length=16, choices=Service.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.ONLINE)
    status = models.CharField(max_length=20, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    # The applicant
    nik = models.CharField("NIK", max_length=32)
    name = models.CharField(max_length=200)
    birth_date = models.DateField()
    phone = models.CharField(max_length=32)
    email = models.EmailField(blank=True)
    # Where the request came from
    created_at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    device = models.CharField(max_length=128, blank=True)
    imported = models.BooleanField(default=False, help_text=_("Loaded from historical records."))
    details = models.JSONField(default=dict, blank=True)
    # The counter path: who did each step, and when
    created_by = _staff_step("inserted a walk-in")
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = _staff_step("checked the applicant in")
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = _staff_step("verified the documents")
    biometrics_at = models.DateTimeField(null=True, blank=True)
    biometrics_by = _staff_step("took photo and fingerprints")
    interviewed_at = models.DateTimeField(null=True, blank=True)
    interviewed_by = _staff_step("interviewed the applicant")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = _staff_step("approved")
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejected_by = _staff_step("rejected")
    printed_at = models.DateTimeField(null=True, blank=True)
    printed_by = _staff_step("printed the passport")
    handed_over_at = models.DateTimeField(null=True, blank=True)
    handed_over_by = _staff_step("handed the passport over")
    collected_by = models.CharField(
        max_length=32, blank=True, help_text=_("'applicant', or the NIK of who collected it."))
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = _staff_step("cancelled (empty when the applicant did)")
    no_show_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(
        null=True, blank=True,
        help_text=_("When the retention period removed the applicant's data (bookings.retention)."))

    office_path = "office"
    account_path = "account"

    class Meta:
        ordering = ["service_date", "slot_time", "created_at"]
        constraints = [
            # One application in progress per person; history may break it, so imports are exempt.
            models.UniqueConstraint(
                fields=["nik"], name="booking_one_active_per_nik",
                condition=Q(status__in=ACTIVE_STATUSES) & Q(imported=False),
                violation_error_message=_("This NIK already has an active booking."),
            ),
            models.CheckConstraint(
                name="booking_live_takes_a_slot",
                condition=Q(imported=True) | Q(slot__isnull=False),
                violation_error_message=_("A live booking takes a place in a slot."),
            ),
            models.CheckConstraint(
                name="booking_status_known", condition=Q(status__in=BookingStatus.values),
                violation_error_message=_("Unknown booking status."),
            ),
            models.CheckConstraint(
                name="booking_service_known", condition=Q(service__in=Service.values),
                violation_error_message=_("Unknown service."),
            ),
            models.CheckConstraint(
                name="booking_channel_known", condition=Q(channel__in=Channel.values),
                violation_error_message=_("Unknown channel."),
            ),
            models.CheckConstraint(
                name="booking_online_has_account",
                # An anonymised booking belongs to nobody any more.
                condition=Q(imported=True) | ~Q(channel=Channel.ONLINE) | Q(account__isnull=False)
                | Q(anonymised_at__isnull=False),
                violation_error_message=_("An online booking belongs to an account."),
            ),
        ]
        indexes = [
            models.Index(fields=["office", "service_date", "status"]),
            models.Index(fields=["account", "status"]),
            models.Index(fields=["nik"]),
            models.Index(fields=["device"]),
            models.Index(fields=["ip"]),
            # The rows retention has still to look at: the size of the retention period, not of history.
            models.Index(fields=["service_date"], condition=Q(anonymised_at__isnull=True),
                         name="booking_not_anonymised_date"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.service_date} {self.slot_time:%H:%M} ({self.status})"

    @property
    def nik_masked(self) -> str:
        return mask_nik(self.nik)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def qr_payload(self) -> str:
        """A signed string for the QR code; the counter verifies it with ``qr_payload_read``.

        It names the booking, not the person: no NIK or name travels in the code.
        """
        return signing.dumps({"ref": self.ref, "code": self.code, "office": self.office.code,
                              "date": self.service_date.isoformat(),
                              "slot": self.slot_time.strftime("%H:%M")},
                             salt=QR_SALT, compress=True)


def qr_payload_read(payload: str) -> dict:
    """The booking named by a QR payload; raises ``signing.BadSignature`` when forged."""
    return signing.loads(payload, salt=QR_SALT)
