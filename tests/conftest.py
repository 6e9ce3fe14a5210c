"""Fixtures shared by the whole suite: a small network and a login per role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from offices.choices import OfficeTimezone, OfficeType, Role
from offices.models import Office
from tests import builders

# The NIK leak scan watches every log record and error report of the session (tests/plugins).
pytest_plugins = ["tests.plugins.nik_leak", "pytester"]


@dataclass
class Network:
    """Two Kanim in different zones, a unit under the first, and staff of every role."""

    kanim_a: Office
    unit_a: Office
    kanim_b: Office
    officer_a: object
    head_a: object
    officer_b: object
    head_b: object
    supervisor: object
    auditor: object
    admin: object

    def user(self, role: str, *, own: bool = True):
        return {
            Role.OFFICER: self.officer_a if own else self.officer_b,
            Role.OFFICE_HEAD: self.head_a if own else self.head_b,
            Role.SUPERVISOR: self.supervisor,
            Role.AUDITOR: self.auditor,
        }[role]


@pytest.fixture
def network(db) -> Network:
    kanim_a = builders.office("KANIM-A", name="Kanim A")
    unit_a = builders.office("ULP-A1", type=OfficeType.ULP, parent=kanim_a, name="ULP A1")
    kanim_b = builders.office("KANIM-B", name="Kanim B", timezone=OfficeTimezone.WITA,
                              region=builders.region("73", "Sulawesi Selatan"))
    admin = get_user_model().objects.create_superuser("root", "root@example.invalid", builders.PASSWORD)
    return Network(
        kanim_a=kanim_a, unit_a=unit_a, kanim_b=kanim_b,
        officer_a=builders.staff_user(Role.OFFICER, kanim_a),
        head_a=builders.staff_user(Role.OFFICE_HEAD, kanim_a),
        officer_b=builders.staff_user(Role.OFFICER, kanim_b),
        head_b=builders.staff_user(Role.OFFICE_HEAD, kanim_b),
        supervisor=builders.staff_user(Role.SUPERVISOR, kanim_b),
        auditor=builders.staff_user(Role.AUDITOR, kanim_b),
        admin=admin,
    )


@pytest.fixture
def api():
    """An API client; ``api.as_user(user)`` signs in with a token."""

    class Client(APIClient):
        def as_user(self, user):
            self.force_authenticate(user=user)
            return self

    return Client()


def _logging_state() -> dict:
    import logging

    loggers = [logging.getLogger(), *(logger for logger in logging.Logger.manager.loggerDict.values()
                                      if isinstance(logger, logging.Logger))]
    return {logger: (logger.level, list(logger.handlers), logger.propagate, logger.disabled)
            for logger in loggers}


def _logging_restore(state: dict) -> None:
    for logger, (level, handlers, propagate, disabled) in state.items():
        logger.setLevel(level)
        logger.handlers[:] = handlers
        logger.propagate, logger.disabled = propagate, disabled


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker (in a thread) on the configured broker, consuming a private queue.

    Tests that use it must be transactional: the worker reads committed data through its own
    connection. The queue name is unique per test, so parallel runs never take each other's tasks.
    """
    import uuid

    import celery.contrib.testing.tasks  # noqa: F401  (registers celery.ping for the ping check)
    from celery.contrib.testing.worker import start_worker

    from passport_portal.celery import app

    queue = f"test-{uuid.uuid4().hex[:12]}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        logging_before = _logging_state()
        with start_worker(app, pool="solo", concurrency=1, loglevel="WARNING",
                          perform_ping_check=False, queues=[queue], shutdown_timeout=30) as worker:
            # The worker sets Django up again in this process, which reapplies LOGGING and drops
            # handlers the test session added (the NIK leak scan's among them): put them back.
            _logging_restore(logging_before)
            yield worker
    finally:
        app.conf.task_default_queue = previous
