"""The console log: refusals the trail records are left out, real warnings kept, levels honoured."""

from __future__ import annotations

import logging

from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.log import log_response


def _console():
    return next(h for h in logging.getLogger().handlers if h.get_name() == "console")


def _passes(handler, status: int) -> bool:
    """Whether Django's warning for an answer with ``status`` would be written by ``handler``."""
    written = []
    handler_emit, handler.emit = handler.emit, written.append
    try:
        request = RequestFactory().post("/api/v1/my/bookings/")
        log_response("%s: %s", HttpResponse.__name__, request.path, response=HttpResponse(status=status),
                     request=request)
    finally:
        handler.emit = handler_emit
    return bool(written)


def test_booking_refusals_are_left_out_but_other_client_errors_kept():
    console = _console()
    assert not _passes(console, 409)
    assert not _passes(console, 429)
    assert _passes(console, 403)
    assert _passes(console, 404)


def test_the_console_handler_carries_the_configured_level(settings):
    assert _console().level == logging.getLevelName(settings.LOG_LEVEL)


def test_a_celery_worker_leaves_the_projects_log_handlers_in_place(celery_worker):
    # The worker fixture has started a real worker in this process: Celery's logging setup ran.
    console = _console()
    assert any(type(f).__name__ == "MaskPersonalData" for f in console.filters)
    assert _passes(console, 404)
