"""The session-wide NIK leak scan (tests/plugins/nik_leak.py) and the masking it relies on."""

from __future__ import annotations

import logging

import pytest
from django.test import RequestFactory

from tests.passport_portal.scratch_db import ROOT
from tests.plugins.nik_leak import raw_niks

NIK = "3174011705900001"
logger = logging.getLogger("passport_portal.tests.leak")


def test_raw_niks_are_found_and_shown_masked():
    assert raw_niks(f"nik={NIK} and 317401******0001 and 12345678901234567") == ["317401******0001"]


@pytest.fixture
def scan(request):
    """The running session's collector; hands back what a block of code leaked, and forgets it."""
    plugin = request.config.pluginmanager.get_plugin("nik-leak-scan")
    plugin.outside_tests.extend(plugin.collector.take())  # nothing of before is this test's

    class Scan:
        def leaks(self):
            return plugin.collector.take()

    return Scan()


def test_a_nik_in_a_log_message_is_masked_before_any_line_is_written(scan):
    logger.warning("booking refused for %s", NIK)
    assert scan.leaks() == []


def test_a_nik_in_a_logged_exception_is_masked_in_the_traceback(scan):
    try:
        raise ValueError(f'duplicate key value violates unique constraint DETAIL: Key (nik)=({NIK})')
    except ValueError:
        logger.exception("booking failed")
    assert scan.leaks() == []


def test_a_nik_at_debug_level_is_examined_too(scan):
    logger.debug("looking up %s", NIK)
    assert scan.leaks() == []
    assert logging.getLogger().isEnabledFor(logging.DEBUG)


def test_the_error_report_mailed_to_admins_masks_niks_in_the_request_and_the_traceback(db, scan):
    request = RequestFactory().post("/api/v1/my/bookings/", {"nik": NIK, "name": "Ani"})
    try:
        raise RuntimeError(f"Key (nik)=({NIK}) already exists.")
    except RuntimeError:
        logging.getLogger("django.request").error("Internal Server Error: %s", request.path,
                                                  exc_info=True, extra={"status_code": 500,
                                                                        "request": request})
    assert scan.leaks() == []


def test_the_scan_catches_a_handler_that_writes_without_masking(scan):
    """Proof that the scan itself sees leaks: a logger that bypasses the project's filters."""
    record = logging.LogRecord("unmasked", logging.INFO, __file__, 1, f"raw {NIK}", None, None)
    plugin_capture = next(h for h in logging.getLogger().handlers if type(h).__name__ == "LogLineCapture")
    plugin_capture.filters = []  # as if the project's masking filter were missing
    try:
        plugin_capture.handle(record)
    finally:
        plugin_capture.filters = next(h for h in logging.getLogger().handlers
                                      if h.get_name() == "console").filters
    leaks = scan.leaks()
    assert [leak.niks for leak in leaks] == [["317401******0001"]]
    assert NIK not in leaks[0].excerpt


def test_a_session_in_which_a_raw_nik_reaches_the_scan_fails_that_test(pytester, monkeypatch):
    """The plugin fails the test that leaked, naming it and showing the NIK masked, in a session of its own."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makepyfile(test_leaky=f"""
        import logging

        def test_leaks(request):
            record = logging.LogRecord("bare", logging.INFO, __file__, 1, "x", None, None)
            request.config.pluginmanager.get_plugin("nik-leak-scan").collector.check(
                "log line", record, "applicant {NIK} came")

        def test_clean():
            logging.getLogger().warning("nothing personal")
    """)
    result = pytester.runpytest_subprocess("-p", "tests.plugins.nik_leak", "-p", "no:django",
                                           "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*raw NIKs reached logs or error reports during*test_leaks*",
                                 "*317401******0001*"])
    assert NIK not in result.stdout.str()
