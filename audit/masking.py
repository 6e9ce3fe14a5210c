"""Personal data masked on the way out: NIK-like 16-digit numbers inside event details."""

from __future__ import annotations

from typing import Any

from passport_portal.logging_filters import mask_niks


def masked(value: Any) -> Any:
    """``value`` with every 16-digit number masked, however deep in lists and objects."""
    if isinstance(value, str):
        return mask_niks(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and len(str(abs(value))) == 16:
        return mask_niks(str(value))
    if isinstance(value, list):
        return [masked(item) for item in value]
    if isinstance(value, dict):
        return {mask_niks(str(key)): masked(item) for key, item in value.items()}
    return value
