from passport_portal.celery import app


def test_worker_runs_a_task_through_the_real_broker(celery_worker):
    result = app.send_task("celery.ping", queue=app.conf.task_default_queue)
    assert result.get(timeout=20) == "pong"
    assert not app.conf.task_always_eager
