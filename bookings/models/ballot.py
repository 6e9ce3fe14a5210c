"""Fair release by ballot: an office-day's places drawn at random among those who entered.

Instead of first come, first served (which rewards bots and brokers with fast clients), an
office-day can be released by ballot: applicants enter during a request window, and after it
closes a job draws every entry's rank from a recorded seed and books places in rank order.
Anyone can re-run the draw from the seed and the entries' ids and get the same ranks.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bookings.choices import Service
from bookings.identity import mask_nik
from offices.models import Office, StaffProfile

from .accounts import Account
from .booking import Booking


def new_ballot_ref() -> str:
    return f"bal_{uuid.uuid4().hex}"


class BallotStatus(models.TextChoices):
    """Where a ballot is: each step is taken once, by a conditional UPDATE from the one before."""

    OPEN = "OPEN", _("Taking entries")
    DRAWN = "DRAWN", _("Drawn, places being booked")
    ALLOCATED = "ALLOCATED", _("Places booked, entrants being told")
    DONE = "DONE", _("Done")


class EntryOutcome(models.TextChoices):
    """What became of one entry."""

    PENDING = "PENDING", _("Waiting for the draw")
    WON = "WON", _("Drawn and booked")
    LOST = "LOST", _("Not drawn")
    REFUSED = "REFUSED", _("Drawn, but the booking was refused (NIK or account limit)")


class Ballot(models.Model):
    """The ballot releasing one office-day: its request window, its seed and its state.

    ``places`` caps how many are booked (empty: every free place of the day at draw time).
    The seed (128 random bits, hex) is stored when the draw happens, in the same transaction
    that ranks the entries, so a ballot is drawn once and its draw can be checked forever.
    """

    ref = models.CharField(max_length=64, unique=True, default=new_ballot_ref)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="ballots")
    service_date = models.DateField()
    opens_at = models.DateTimeField(help_text=_("Entries accepted from (stored UTC)."))
    closes_at = models.DateTimeField(help_text=_("Entries accepted until (stored UTC)."))
    places = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=BallotStatus.choices, default=BallotStatus.OPEN)
    seed = models.CharField(max_length=32, blank=True, help_text=_("128 random bits, hex."))
    created_by = models.ForeignKey(StaffProfile, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField()
    drawn_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    entries_count = models.PositiveIntegerField(default=0)
    booked_count = models.PositiveIntegerField(default=0)

    office_path = "office"

    class Meta:
        ordering = ["service_date", "office_id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "service_date"],
                                    name="ballot_one_per_office_day",
                                    violation_error_message=_("This office-day already has a ballot.")),
            models.CheckConstraint(
                name="ballot_window_ordered", condition=Q(opens_at__lt=F("closes_at")),
                violation_error_message=_("A ballot's window closes after it opens."),
            ),
            models.CheckConstraint(
                name="ballot_status_known", condition=Q(status__in=BallotStatus.values),
                violation_error_message=_("Unknown ballot status."),
            ),
            # Drawn means seeded: a ballot past OPEN without its seed could not be verified.
            models.CheckConstraint(
                name="ballot_drawn_has_seed",
                condition=Q(status=BallotStatus.OPEN, seed="", drawn_at__isnull=True)
                | (~Q(status=BallotStatus.OPEN) & Q(seed__regex=r"^[0-9a-f]{32}$")
                   & Q(drawn_at__isnull=False)),
                violation_error_message=_("A drawn ballot keeps its seed and time of draw."),
            ),
        ]
        indexes = [models.Index(fields=["status", "closes_at"])]

    def __str__(self) -> str:
        return f"{self.office_id} {self.service_date} ({self.status})"


class BallotEntry(models.Model):
    """One person's entry in a ballot: the applicant data the booking will need, and the outcome.

    One entry per NIK per ballot (``ballot_entry_one_per_nik``). ``rank`` is the entry's
    place in the draw (1 first); entries are booked in rank order until the places run out.
    Retention later blanks the entrant's data and detaches the account, keeping id, rank and
    outcome, so the draw can still be checked.
    """

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="ballot_entries",
                                help_text=_("Empty once the entry is anonymised."))
    service = models.CharField(max_length=16, choices=Service.choices)
    nik = models.CharField("NIK", max_length=32)
    name = models.CharField(max_length=200)
    birth_date = models.DateField()
    phone = models.CharField(max_length=32)
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    device = models.CharField(max_length=128, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=8, choices=EntryOutcome.choices, default=EntryOutcome.PENDING)
    refusal = models.CharField(max_length=32, blank=True, help_text=_("Reason code when REFUSED."))
    booking = models.OneToOneField(Booking, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="ballot_entry")
    anonymised_at = models.DateTimeField(
        null=True, blank=True,
        help_text=_("When the retention period removed the entrant's data (bookings.retention)."))

    office_path = "ballot__office"
    account_path = "account"

    class Meta:
        ordering = ["ballot_id", "id"]
        constraints = [
            # Anonymised entries have no NIK left to be unique.
            models.UniqueConstraint(fields=["ballot", "nik"], name="ballot_entry_one_per_nik",
                                    condition=Q(anonymised_at__isnull=True),
                                    violation_error_message=_("This NIK has already entered this ballot.")),
            models.UniqueConstraint(fields=["ballot", "rank"], name="ballot_entry_rank_unique"),
            models.CheckConstraint(
                name="ballot_entry_outcome_known", condition=Q(outcome__in=EntryOutcome.values),
                violation_error_message=_("Unknown ballot outcome."),
            ),
            models.CheckConstraint(
                name="ballot_entry_won_has_booking",
                condition=Q(outcome=EntryOutcome.WON, booking__isnull=False)
                | (~Q(outcome=EntryOutcome.WON) & Q(booking__isnull=True)),
                violation_error_message=_("An entry is won exactly when it holds a booking."),
            ),
        ]
        indexes = [models.Index(fields=["account", "outcome"])]

    def __str__(self) -> str:
        return f"{self.ballot_id}:{self.id} {self.nik_masked} ({self.outcome})"

    @property
    def nik_masked(self) -> str:
        return mask_nik(self.nik)


class BallotNotice(models.Model):
    """What an entrant is told of the draw: one per entry, sent through ``BALLOT_NOTIFIER``.

    Made in the same transaction as the outcome it reports; ``sent_at`` is set once the
    notifier has accepted it, so a job that stops half-way sends only what is left.
    """

    entry = models.OneToOneField(BallotEntry, on_delete=models.PROTECT, related_name="notice")
    outcome = models.CharField(max_length=8, choices=EntryOutcome.choices)
    message = models.TextField()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    office_path = "entry__ballot__office"

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["sent_at"])]

    def __str__(self) -> str:
        return f"notice {self.entry_id} {self.outcome}"
