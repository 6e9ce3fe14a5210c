"""Detection's tables: settings per detector, the allowlist, runs, findings, subjects and cases."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from offices.models import Office, StaffProfile

from .choices import AllowlistKind, CaseStatus, Category, RunKind, RunStatus, SubjectType


class DetectorSetting(models.Model):
    """The thresholds and windows of one detector, kept in the database and changed in the admin.

    ``params`` holds only what differs from the detector's defaults in code; every change goes
    through ``detector_setting_update``, which validates it and records it in the audit trail.
    """

    detector = models.CharField(max_length=64, unique=True)
    enabled = models.BooleanField(default=True)
    params = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder,
                              help_text=_("Overrides of the detector's defaults, by name."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["detector"]

    def __str__(self) -> str:
        return self.detector


class AllowlistEntry(models.Model):
    """An account or identifier auditors have judged legitimate (a licensed agency, a family phone).

    Detectors leave allowlisted accounts and identifiers out. Entries are removed by stamping
    ``removed_at``, never deleted, so the list's history stays readable; adding and removing
    are audited.
    """

    kind = models.CharField(max_length=16, choices=AllowlistKind.choices)
    value = models.CharField(max_length=128)
    reason = models.TextField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], condition=Q(removed_at__isnull=True),
                                    name="detection_allowlist_one_active_entry",
                                    violation_error_message=_("This value is already on the allowlist.")),
            models.CheckConstraint(condition=Q(kind__in=AllowlistKind.values),
                                   name="detection_allowlist_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class DetectionRun(models.Model):
    """One run of the detectors: what it covered, how far it got, what it found, how long it took.

    A run is split into parts (``network``, then one per region) that workers take in
    parallel; ``parts_done`` records each finished part once, so a retried part is not counted
    twice. At most one run is running at a time (a partial unique index).
    """

    kind = models.CharField(max_length=12, choices=RunKind.choices)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    triggered_by = models.CharField(max_length=64, blank=True)
    window_from = models.DateTimeField()
    window_to = models.DateTimeField()
    after_event_id = models.BigIntegerField(default=0,
                                            help_text=_("Events after this id are new to the run."))
    through_event_id = models.BigIntegerField(default=0, help_text=_("Last event id the run covers."))
    parts = ArrayField(models.CharField(max_length=32), default=list)
    parts_done = ArrayField(models.CharField(max_length=32), default=list)
    counts = models.JSONField(default=dict, blank=True, help_text=_("Findings per detector."))
    findings_total = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(models.F("status"), condition=Q(status=RunStatus.RUNNING),
                                    name="detection_run_one_running",
                                    violation_error_message=_("Another detection run is in progress.")),
            models.CheckConstraint(condition=Q(window_from__lte=F("window_to")),
                                   name="detection_run_window_ordered"),
            models.CheckConstraint(condition=Q(status__in=RunStatus.values),
                                   name="detection_run_status_known"),
        ]

    def __str__(self) -> str:
        return f"run {self.pk} {self.kind} {self.status}"

    @property
    def progress(self) -> float:
        """Share of the parts finished, 0 to 1."""
        return len(self.parts_done) / len(self.parts) if self.parts else 0.0

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class Finding(models.Model):
    """One explained suspicion: a detector's score, a sentence, and the evidence behind it.

    ``fingerprint`` names what the finding is about (detector and subject, and the day where
    it is about a day), so a re-run or a retried part updates the finding instead of adding a
    duplicate. The arrays name the officers, accounts, bookings and events behind it: the
    officers are how nobody is shown findings about themselves.
    """

    fingerprint = models.CharField(max_length=64, unique=True)
    detector = models.CharField(max_length=64)
    category = models.CharField(max_length=12, choices=Category.choices)
    score = models.FloatField(help_text=_("0 to 1; higher is riskier."))
    subject_type = models.CharField(max_length=12, choices=SubjectType.choices)
    subject_id = models.CharField(max_length=128)
    subjects = models.JSONField(default=list, help_text=_("Records-v1 subjects: {\"staff\": nip} …"))
    summary = models.TextField()
    evidence = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    staff_nips = ArrayField(models.CharField(max_length=18), default=list, blank=True)
    account_refs = ArrayField(models.CharField(max_length=64), default=list, blank=True)
    booking_refs = ArrayField(models.CharField(max_length=64), default=list, blank=True)
    event_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    window_from = models.DateTimeField()
    window_to = models.DateTimeField()
    first_run = models.ForeignKey(DetectionRun, null=True, on_delete=models.SET_NULL, related_name="+")
    last_run = models.ForeignKey(DetectionRun, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    office_path = "office"

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1),
                                   name="detection_finding_score_0_1"),
            models.CheckConstraint(condition=Q(category__in=Category.values),
                                   name="detection_finding_category_known"),
        ]
        indexes = [
            models.Index(fields=["detector", "-score"]),
            models.Index(fields=["category", "-score"]),
            models.Index(fields=["subject_type", "subject_id"]),
            GinIndex(fields=["staff_nips"], name="detection_finding_staff_gin"),
            GinIndex(fields=["account_refs"], name="detection_finding_account_gin"),
            GinIndex(fields=["booking_refs"], name="detection_finding_booking_gin"),
        ]

    def __str__(self) -> str:
        return f"{self.detector} {self.subject_type}:{self.subject_id} ({self.score:.2f})"


class SubjectRisk(models.Model):
    """Everything found about one subject (an officer, a cluster, an account) with its overall risk.

    ``risk`` combines the subject's findings as independent signals (1 − ∏(1 − score)), so
    several detectors agreeing rank a subject above one loud detector. Rebuilt in SQL at the end
    of every run.
    """

    subject_type = models.CharField(max_length=12, choices=SubjectType.choices)
    subject_id = models.CharField(max_length=128)
    risk = models.FloatField()
    finding_count = models.PositiveIntegerField()
    detectors = ArrayField(models.CharField(max_length=64), default=list)
    categories = ArrayField(models.CharField(max_length=12), default=list)
    staff_nips = ArrayField(models.CharField(max_length=18), default=list, blank=True)
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    office_path = "office"

    class Meta:
        ordering = ["-risk", "subject_type", "subject_id"]
        constraints = [
            models.UniqueConstraint(fields=["subject_type", "subject_id"],
                                    name="detection_subject_unique"),
        ]
        indexes = [GinIndex(fields=["staff_nips"], name="detection_subject_staff_gin")]

    def __str__(self) -> str:
        return f"{self.subject_type}:{self.subject_id} ({self.risk:.2f})"


class ClusterMember(models.Model):
    """An account's place in a cluster of accounts linked by shared identifiers.

    Rebuilt by the broker-cluster detector in each run's network part; the office-bound
    detectors read it to say which cluster a booking belongs to.
    """

    cluster = models.CharField(max_length=64, db_index=True)
    account_id = models.BigIntegerField(unique=True)
    account_ref = models.CharField(max_length=64)

    class Meta:
        ordering = ["cluster", "account_ref"]

    def __str__(self) -> str:
        return f"{self.cluster}: {self.account_ref}"


class Case(models.Model):
    """An investigation opened by an auditor from one or more findings, worked to a conclusion.

    ``staff_nips`` and ``office_ids`` are copied from the findings when the case opens: they
    decide who may not work it (nobody works a case about themselves or their own office).
    Status moves only along ``CASE_TRANSITIONS``; a trigger refuses any other change.
    """

    title = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    outcome = models.CharField(max_length=16, blank=True,
                               help_text=_("SUBSTANTIATED or UNFOUNDED, kept once closed."))
    findings = models.ManyToManyField(Finding, related_name="cases")
    staff_nips = ArrayField(models.CharField(max_length=18), default=list, blank=True)
    office_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                  related_name="+")
    assignee = models.ForeignKey(StaffProfile, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    office_path = "office"

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CaseStatus.values),
                                   name="detection_case_status_known"),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=[CaseStatus.SUBSTANTIATED, CaseStatus.UNFOUNDED]),
                name="detection_case_outcome_known"),
        ]
        indexes = [GinIndex(fields=["staff_nips"], name="detection_case_staff_gin")]

    def __str__(self) -> str:
        return f"case {self.pk}: {self.title} ({self.status})"


class CaseNote(models.Model):
    """A note an auditor adds to a case; notes are never edited (a trigger refuses it)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"note {self.pk} on case {self.case_id}"
