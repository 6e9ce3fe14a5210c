"""Stable vocabularies of bookings. A code never changes meaning; new ones are appended."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Service(models.TextChoices):
    """The passport service an applicant comes for."""

    NEW = "NEW", _("New passport")
    RENEWAL = "RENEWAL", _("Renewal")
    REPLACE_LOST = "REPLACE_LOST", _("Replacement of a lost passport")
    REPLACE_DAMAGED = "REPLACE_DAMAGED", _("Replacement of a damaged passport")


class Channel(models.TextChoices):
    """How the booking came in. PRIORITY: elderly, disabled, pregnant, infants (served first)."""

    ONLINE = "ONLINE", _("Online")
    WALK_IN = "WALK_IN", _("Walk-in")
    PRIORITY = "PRIORITY", _("Priority")


class BookingStatus(models.TextChoices):
    """Where a booking is on the counter path, from booking to hand-over."""

    BOOKED = "BOOKED", _("Booked")
    CHECKED_IN = "CHECKED_IN", _("Checked in")
    DOCUMENTS_VERIFIED = "DOCUMENTS_VERIFIED", _("Documents verified")
    BIOMETRICS_CAPTURED = "BIOMETRICS_CAPTURED", _("Photo and fingerprints taken")
    INTERVIEWED = "INTERVIEWED", _("Interviewed")
    APPROVED = "APPROVED", _("Approved")
    REJECTED = "REJECTED", _("Rejected")
    PRINTED = "PRINTED", _("Printed")
    ISSUED = "ISSUED", _("Handed over")
    CANCELLED = "CANCELLED", _("Cancelled")
    NO_SHOW = "NO_SHOW", _("Did not come")


#: Statuses of a booking still in progress: one per NIK, and counted against the account's cap.
ACTIVE_STATUSES = (
    BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.DOCUMENTS_VERIFIED,
    BookingStatus.BIOMETRICS_CAPTURED, BookingStatus.INTERVIEWED, BookingStatus.APPROVED,
    BookingStatus.PRINTED,
)

#: The records format's coarser status for each of ours (records-v1 ``booking.status``).
RECORDS_STATUS = {
    BookingStatus.BOOKED: "BOOKED",
    BookingStatus.CHECKED_IN: "CHECKED_IN",
    BookingStatus.DOCUMENTS_VERIFIED: "IN_PROCESS",
    BookingStatus.BIOMETRICS_CAPTURED: "IN_PROCESS",
    BookingStatus.INTERVIEWED: "IN_PROCESS",
    BookingStatus.APPROVED: "APPROVED",
    BookingStatus.PRINTED: "APPROVED",  # approved, passport printed, not yet collected
    BookingStatus.REJECTED: "REJECTED",
    BookingStatus.ISSUED: "ISSUED",
    BookingStatus.CANCELLED: "CANCELLED",
    BookingStatus.NO_SHOW: "NO_SHOW",
}

#: Our status for an imported records status: the earliest step the coarse one covers.
STATUS_FROM_RECORDS = {
    "BOOKED": BookingStatus.BOOKED,
    "CHECKED_IN": BookingStatus.CHECKED_IN,
    "IN_PROCESS": BookingStatus.DOCUMENTS_VERIFIED,
    "APPROVED": BookingStatus.APPROVED,
    "REJECTED": BookingStatus.REJECTED,
    "ISSUED": BookingStatus.ISSUED,
    "CANCELLED": BookingStatus.CANCELLED,
    "NO_SHOW": BookingStatus.NO_SHOW,
}


class RefusalReason(models.TextChoices):
    """Why a booking attempt was refused: ``details.reason`` of its BOOK_REFUSED event."""

    NIK_INVALID = "nik_invalid", _("The NIK is not structurally valid")
    NIK_BIRTH_DATE_MISMATCH = "nik_birth_date_mismatch", _("The NIK disagrees with the birth date")
    NIK_HAS_ACTIVE_BOOKING = "nik_has_active_booking", _("The NIK already has an active booking")
    SLOT_FULL = "slot_full", _("The slot is full")
    SLOT_CLOSED = "slot_closed", _("The office is closed that day or at that time")
    SLOT_UNKNOWN = "slot_unknown", _("No such slot at that office")
    SLOT_NOT_RELEASED = "slot_not_released", _("The date is not open for booking yet")
    SLOT_IN_PAST = "slot_in_past", _("The slot has already started")
    ACCOUNT_CAP_REACHED = "account_cap_reached", _("The account holds as many bookings as allowed")
    RATE_LIMITED = "rate_limited", _("Too many attempts")
    INVALID_INPUT = "invalid_input", _("A field is missing or malformed")
    SLOT_BY_BALLOT = "slot_by_ballot", _("Places on this date are given by ballot, not first come")


class RateScope(models.TextChoices):
    """What a booking-attempt rate limit counts by."""

    ACCOUNT = "account", _("Account")
    DEVICE = "device", _("Device")
    IP = "ip", _("IP address")
