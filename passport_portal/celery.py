"""The Celery application. Wiring only: configuration comes from Django settings."""

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passport_portal.settings.local")

app = Celery("passport_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def keep_django_logging(**kwargs) -> None:
    """Workers and beat keep Django's LOGGING, NIK masking included.

    Without a receiver for this signal Celery takes over the root logger: it drops the
    project's handlers (and their masking filters) and sets its own level.
    """
