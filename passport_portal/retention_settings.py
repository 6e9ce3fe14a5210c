"""Reading and checking the retention periods of personal data (docs/data-protection.md).

Read at startup by the settings (a bad value stops the process with a message naming the
variable) and checked again by every retention run, so a value changed in a test or a shell
is refused just as clearly.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

#: The retention periods, in days after a row is finished; 0 keeps rows forever.
RETENTION_SETTINGS = ("BOOKING_RETENTION_DAYS", "ACCOUNT_RETENTION_DAYS", "FINDING_RETENTION_DAYS",
                      "CASE_RETENTION_DAYS")
#: Periods that may not be shorter than the detection window: detection would otherwise read
#: blanked bookings, find accounts gone from under its baselines, or raise again a finding
#: it had already let go of.
WITHIN_DETECTION_WINDOW = ("BOOKING_RETENTION_DAYS", "ACCOUNT_RETENTION_DAYS", "FINDING_RETENTION_DAYS")


def retention_days(env, name: str, *, default: int) -> int:
    """The whole number of days in environment variable ``name`` (``default`` when unset)."""
    try:
        value = env.int(name, default=default)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number of days (0 keeps forever), not {env.str(name)!r}.") from None
    if value < 0:
        raise ImproperlyConfigured(
            f"{name} must be 0 (keep forever) or a positive number of days, not {value}.")
    return value


def retention_problems(settings) -> list[str]:
    """What is wrong with the retention settings of ``settings``, one sentence each (empty: fine)."""
    problems = []
    window = getattr(settings, "DETECTION_FULL_WINDOW_DAYS", 0)
    for name in RETENTION_SETTINGS:
        value = getattr(settings, name, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            problems.append(f"{name} must be 0 (keep forever) or a positive number of days, not {value!r}.")
        elif name in WITHIN_DETECTION_WINDOW and 0 < value < window:
            problems.append(f"{name} ({value}) must be 0 or at least DETECTION_FULL_WINDOW_DAYS ({window}): "
                            f"detection reads that far back.")
    return problems


def retention_check(settings) -> None:
    """Raise ``ImproperlyConfigured`` with every problem of the retention settings."""
    problems = retention_problems(settings)
    if problems:
        raise ImproperlyConfigured(" ".join(problems))
