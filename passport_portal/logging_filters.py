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
