"""Fail any test during which a raw NIK reached a log line or an error report.

Every log record of the session, from every logger and at every level, is formatted the way the
project's console handler writes it (its filters, including ``MaskPersonalData``, and its
formatter, traceback included). Every record at ERROR or above is also turned into the report
Django's ``mail_admins`` handler would send (subject, text and HTML, through the configured
``DEFAULT_EXCEPTION_REPORTER``). A 16-digit number standing alone in any of them is a raw NIK: the
test that was running fails at teardown, and records outside any test fail the session. What is
shown about a leak is masked itself.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import pytest

RAW_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")


def raw_niks(text: str) -> list[str]:
    """The raw 16-digit numbers in ``text``, masked for showing (first six and last four digits)."""
    return [f"{nik[:6]}******{nik[-4:]}" for nik in RAW_NIK.findall(text or "")]


@dataclass
class Leak:
    where: str
    logger: str
    level: str
    niks: list[str]
    excerpt: str


@dataclass
class LeakCollector:
    """Leaks seen since the last ``take()``; ``examined`` counts every record and report looked at."""

    leaks: list[Leak] = field(default_factory=list)
    examined: int = 0

    def check(self, where: str, record: logging.LogRecord, text: str) -> None:
        self.examined += 1
        found = raw_niks(text)
        if found:
            excerpt = RAW_NIK.sub(lambda m: raw_niks(m.group(0))[0], text)[:400]
            self.leaks.append(Leak(where, record.name, record.levelname, found, excerpt))

    def take(self) -> list[Leak]:
        leaks, self.leaks = self.leaks, []
        return leaks


class LogLineCapture(logging.Handler):
    """Formats each record as the project's console handler would and checks the line."""

    def __init__(self, collector: LeakCollector, template: logging.Handler | None):
        super().__init__(level=logging.NOTSET)
        self.collector = collector
        if template is not None:
            self.filters = list(template.filters)
            self.formatter = template.formatter
        else:  # outside Django (the plugin's own tests): the project's masking filter alone
            from passport_portal.logging_filters import MaskPersonalData

            self.addFilter(MaskPersonalData())

    def handle(self, record: logging.LogRecord) -> bool:
        # Filters may mutate the record (masking); run them here as the console handler does.
        if not self.filter(record):
            return False
        self.emit(record)
        return True

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.collector.check("log line", record, self.format(record))
        except Exception:  # a record that cannot be formatted is not a leak
            self.handleError(record)


def _error_report_capture(collector: LeakCollector) -> logging.Handler:
    """Django's AdminEmailHandler, keeping the mail it would send instead of sending it."""
    from django.utils.log import AdminEmailHandler

    class ErrorReportCapture(AdminEmailHandler):
        def __init__(self):
            super().__init__(include_html=True)
            self.setLevel(logging.ERROR)

        def emit(self, record):
            self._record = record
            super().emit(record)

        def send_mail(self, subject, message, *args, html_message=None, **kwargs):
            text = "\n".join(part for part in (subject, message, html_message) if part)
            collector.check("error report (mail_admins)", self._record, text)

    return ErrorReportCapture()


class NikLeakPlugin:
    def __init__(self):
        self.collector = LeakCollector()
        self.attached: list[tuple[logging.Logger, logging.Handler]] = []
        self.root_level = None
        self.outside_tests: list[Leak] = []

    def _attach(self, logger: logging.Logger, handler: logging.Handler) -> None:
        logger.addHandler(handler)
        self.attached.append((logger, handler))

    @pytest.hookimpl(trylast=True)
    def pytest_sessionstart(self, session):
        root = logging.getLogger()
        console = next((h for h in root.handlers if h.get_name() == "console"), None)
        lines = LogLineCapture(self.collector, console)
        # Every level: lower the root's threshold so the project's DEBUG records exist too. The
        # console handler keeps its own level, so what a developer sees is unchanged.
        self.root_level = root.level
        root.setLevel(logging.DEBUG)
        self._attach(root, lines)
        try:
            reports = _error_report_capture(self.collector)
        except Exception:  # Django not configured (the plugin's own tests)
            reports = None
        if reports is not None:
            # mail_admins sits on the "django" logger, before the root's masking console handler.
            self._attach(logging.getLogger("django"), reports)
        # Loggers that do not pass their records up to the root get the same checks.
        for name, logger in list(logging.Logger.manager.loggerDict.items()):
            if isinstance(logger, logging.Logger) and not logger.propagate:
                self._attach(logger, lines)
                if reports is not None and not name.startswith("django."):
                    self._attach(logger, reports)
        if reports is not None:
            root_reports = _error_report_capture(self.collector)
            root_reports.addFilter(lambda record: not record.name.startswith("django"))
            self._attach(root, root_reports)

    def pytest_runtest_setup(self, item):
        # A test that sets Django up again (an in-process Celery worker does) reapplies LOGGING,
        # which drops our handlers and the root's level: put them back before every test.
        for logger, handler in self.attached:
            if handler not in logger.handlers:
                logger.addHandler(handler)
        if self.root_level is not None:
            logging.getLogger().setLevel(logging.DEBUG)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if call.when != "teardown":
            return
        leaks = self.collector.take()
        if leaks and report.outcome != "failed":
            report.outcome = "failed"
            report.longrepr = describe(leaks, f"raw NIKs reached logs or error reports during {item.nodeid}")

    def pytest_runtest_logstart(self, nodeid, location):
        # Records between tests (collection, session fixtures) are the session's.
        self.outside_tests.extend(self.collector.take())

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session, exitstatus):
        self.outside_tests.extend(self.collector.take())
        for logger, handler in self.attached:
            logger.removeHandler(handler)
        if self.root_level is not None:
            logging.getLogger().setLevel(self.root_level)
        if self.outside_tests:
            session.config.pluginmanager.get_plugin("terminalreporter").write_line(
                describe(self.outside_tests, "raw NIKs reached logs or error reports outside any test"),
                red=True)
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def describe(leaks: list[Leak], title: str) -> str:
    lines = [f"{title} ({len(leaks)}):"]
    for leak in leaks[:20]:
        lines.append(f"- {leak.where}, logger {leak.logger} at {leak.level}: {', '.join(leak.niks)}")
        lines.append("    " + leak.excerpt.replace("\n", "\n    "))
    return "\n".join(lines)


def pytest_configure(config):
    config.pluginmanager.register(NikLeakPlugin(), "nik-leak-scan")
