"""Logging filters that keep personal data out of logs."""

import logging
import re

# A NIK is 16 digits; mask every run of 16 digits that stands alone.
NIK_PATTERN = re.compile(r"(?<!\d)(\d{6})\d{6}(\d{4})(?!\d)")


def mask_niks(text: str) -> str:
    """Replace the middle of every 16-digit number (a NIK) with asterisks."""
    return NIK_PATTERN.sub(r"\1******\2", text)


class MaskPersonalData(logging.Filter):
    """Mask NIKs in a record's final message before any handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_niks(message)
        if masked != message:
            record.msg, record.args = masked, None
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
