"""Detection runs on the workbench: the list with live progress, and starting a run on a real worker."""

from __future__ import annotations

import datetime as dt
import os
import socket

import pytest

from audit.detection.choices import RunStatus
from audit.detection.models import DetectionRun, Finding
from audit.detection.services import detection_run_start
from audit.models import Event
from tests.audit.detection.history import MONDAY, History
from tests.audit.detection.test_tasks import _wait_for_end


def _bot(office: str = "KANIM-WIB", count: int = 15) -> str:
    history = History(office=office)
    bot = history.account()
    created = dt.datetime.combine(MONDAY - dt.timedelta(days=5), dt.time(7, 0), tzinfo=dt.UTC)
    for k in range(count):
        history.booking(bot, MONDAY, status="NO_SHOW", created=(created + dt.timedelta(minutes=k)).isoformat())
    history.load()
    return bot


@pytest.fixture
def long_window(settings):
    settings.DETECTION_FULL_WINDOW_DAYS = 3650


@pytest.fixture
def broker_down(monkeypatch):
    """The portal's Celery app on a Redis address where nothing listens: sending a task fails
    with kombu's OperationalError, as it does when the broker is down (see tests/faults)."""
    from passport_portal.celery import app

    with socket.socket() as probe:  # a free port, closed again: connections to it are refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    previous = app.conf.broker_url, app.conf.broker_transport_options
    down = f"redis://127.0.0.1:{port}/0"

    def reconnect():
        from kombu import pools

        pools.reset()  # kombu's process-wide pools keep connections to the real broker
        app._pool = None
        app.amqp._producer_pool = None

    # Celery reads CELERY_BROKER_URL from the environment before its own setting.
    if "CELERY_BROKER_URL" in os.environ:
        monkeypatch.setenv("CELERY_BROKER_URL", down)
    app.conf.broker_url, app.conf.broker_transport_options = down, {}
    reconnect()
    try:
        yield
    finally:
        monkeypatch.undo()
        app.conf.broker_url, app.conf.broker_transport_options = previous
        reconnect()


def test_the_start_button_runs_detection_on_the_worker_and_the_page_follows_it(
        celery_worker, long_window, network, as_user):
    bot = _bot()
    client = as_user(network.auditor)
    response = client.post("/findings/runs/", {"kind": "FULL"})
    assert response.status_code == 302
    run = DetectionRun.objects.get()
    assert Event.objects.filter(action="DETECTION_RUN_START", target_id=str(run.pk),
                                actor_id=network.auditor.staff.nip).exists()
    run = _wait_for_end(run.pk)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert Finding.objects.filter(detector="bots", subject_id=bot, last_run=run).exists()
    partial = client.get(f"/findings/runs/{run.pk}/progress/").content.decode()
    assert "hx-get" not in partial  # finished: polling stops
    assert f'value="{len(run.parts)}"' in partial


def test_a_running_run_is_polled_every_two_seconds(network, as_user, long_window):
    _bot()
    run = detection_run_start(actor=network.admin, kind="FULL")
    client = as_user(network.auditor)
    page = client.get("/findings/runs/").content.decode()
    assert f'hx-get="/findings/runs/{run.pk}/progress/"' in page and 'hx-trigger="every 2s"' in page
    partial = client.get(f"/findings/runs/{run.pk}/progress/").content.decode()
    assert f'<progress max="{len(run.parts)}" value="0">' in partial


def test_no_second_run_starts_while_one_is_running(network, as_user, long_window):
    _bot()
    detection_run_start(actor=network.admin, kind="FULL")
    response = as_user(network.auditor).post("/findings/runs/", {"kind": "FULL"}, follow=True)
    assert "another run is in progress" in response.content.decode()
    assert DetectionRun.objects.count() == 1


def test_an_unknown_run_kind_is_named(network, as_user):
    response = as_user(network.auditor).post("/findings/runs/", {"kind": "EVERYTHING"})
    assert response.status_code == 400 and "kind" in response.context["form"].errors
    assert not DetectionRun.objects.exists()


def test_the_runs_page_costs_a_fixed_number_of_queries(network, as_user, django_assert_max_num_queries):
    now = dt.datetime(2025, 3, 3, tzinfo=dt.UTC)
    DetectionRun.objects.bulk_create([
        DetectionRun(kind="FULL", status=RunStatus.SUCCEEDED, window_from=now, window_to=now, started_at=now,
                     finished_at=now, parts=["network"], parts_done=["network"]) for _ in range(25)])
    client = as_user(network.auditor)
    with django_assert_max_num_queries(10):
        assert client.get("/findings/runs/").status_code == 200


# Transactional: the run is dispatched when its start commits, as in production, not at the end of a test
# transaction that never commits.
@pytest.mark.django_db(transaction=True)
def test_a_run_the_broker_cannot_take_is_reported_failed_not_started(broker_down, long_window, network, as_user):
    _bot()
    response = as_user(network.auditor).post("/findings/runs/", {"kind": "FULL"}, follow=True)
    html = response.content.decode()
    run = DetectionRun.objects.get()
    assert run.status == RunStatus.FAILED and "broker" in run.error
    assert f'<p class="msg msg-error">Run #{run.pk} was not started: the task queue is unavailable.' in html
    assert f"Run #{run.pk} started." not in html
