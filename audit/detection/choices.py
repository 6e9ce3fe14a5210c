"""Stable vocabularies of detection. A code never changes meaning; new ones are appended."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """What a finding points to (records-v1 ``finding.category``)."""

    COLLUSION = "COLLUSION", _("Officer working with a broker")
    BROKER = "BROKER", _("Accounts run by one broker")
    FICTITIOUS = "FICTITIOUS", _("Fictitious applications")
    BOT = "BOT", _("Automated mass booking")
    OTHER = "OTHER", _("Other irregularity")


class SubjectType(models.TextChoices):
    """Who or what a finding is about."""

    STAFF = "staff", _("Officer (by NIP)")
    ACCOUNT = "account", _("Applicant account")
    CLUSTER = "cluster", _("Cluster of linked accounts")
    BOOKING = "booking", _("Booking")
    COLLECTOR = "collector", _("Third party collecting passports (masked NIK)")
    DEVICE = "device", _("Device")
    IP = "ip", _("IP address")
    OFFICE = "office", _("Office")


class RunKind(models.TextChoices):
    FULL = "FULL", _("Full run over a sliding window")
    INCREMENTAL = "INCREMENTAL", _("Incremental run over new events")


class RunStatus(models.TextChoices):
    RUNNING = "RUNNING", _("Running")
    SUCCEEDED = "SUCCEEDED", _("Succeeded")
    FAILED = "FAILED", _("Failed")


class CaseStatus(models.TextChoices):
    """A case's path: open → investigating → substantiated | unfounded → closed."""

    OPEN = "OPEN", _("Open")
    INVESTIGATING = "INVESTIGATING", _("Investigating")
    SUBSTANTIATED = "SUBSTANTIATED", _("Substantiated")
    UNFOUNDED = "UNFOUNDED", _("Unfounded")
    CLOSED = "CLOSED", _("Closed")


#: The allowed moves of a case; the database trigger holds the same table.
CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.OPEN: frozenset({CaseStatus.INVESTIGATING}),
    CaseStatus.INVESTIGATING: frozenset({CaseStatus.SUBSTANTIATED, CaseStatus.UNFOUNDED}),
    CaseStatus.SUBSTANTIATED: frozenset({CaseStatus.CLOSED}),
    CaseStatus.UNFOUNDED: frozenset({CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
}


class AllowlistKind(models.TextChoices):
    """What an allowlist entry exempts: an account, or an identifier shared for a good reason."""

    ACCOUNT = "account", _("Account (ref)")
    AGENCY_LICENSE = "agency_license", _("Travel agency licence")
    PHONE = "phone", _("Phone number")
    EMAIL = "email", _("E-mail address")
    IP = "ip", _("IP address")
    DEVICE = "device", _("Device fingerprint")
