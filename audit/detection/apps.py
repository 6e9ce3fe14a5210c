from django.apps import AppConfig


class DetectionConfig(AppConfig):
    """Detection: runs of the detectors, their findings, the cases auditors work, and the allowlist.

    A Django app of its own (label ``detection``) inside the audit package: it reads the trail
    and the bookings, and writes only its own tables.
    """

    name = "audit.detection"
    label = "detection"
    verbose_name = "Detection"
    default_auto_field = "django.db.models.BigAutoField"
