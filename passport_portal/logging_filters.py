"""Logging filters that keep personal data out of logs."""

import logging
import re

# A NIK is 16 digits; mask every run of 16 digits that stands alone.
NIK_PATTERN = re.compile(r"(?<!\d)(\d{6})\d{6}(\d{4})(?!\d)")


def mask_niks(text: str) -> str:
    """Replace the middle of every 16-digit number (a NIK) with asterisks."""
    return NIK_PATTERN.sub(r"\1******\2", text)


class MaskPersonalData(logging.Filter):
    """Mask NIKs in a record's final message, traceback and stack before any handler writes it.

    A traceback can carry a NIK too (PostgreSQL's "Key (nik)=(...) already exists" detail), so
    the exception is formatted here, masked, and left as ``exc_text``, which formatters reuse.
    """

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_niks(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_niks(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_niks(record.stack_info)
        return True


class DropRecordedRefusals(logging.Filter):
    """Leave out Django's warning for each 409 and 429 answer.

    Those are the booking service refusing on purpose (slot full, NIK already booked, rate limit),
    and each refusal is already recorded in the audit trail with its reason. In a stampede they
    are thousands a minute: logging each would bury real warnings and cost time on the hot path.
    """

    REFUSALS = frozenset({409, 429})

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name == "django.request" and getattr(record, "status_code", None) in self.REFUSALS)
