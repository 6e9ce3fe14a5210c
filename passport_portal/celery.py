"""The Celery application. Wiring only: configuration comes from Django settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passport_portal.settings.local")

app = Celery("passport_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
