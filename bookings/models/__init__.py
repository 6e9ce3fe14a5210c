"""Booking models, one module per concept; this package says what is public."""

from .accounts import Account
from .booking import Booking
from .capacity import Slot
from .limits import RateCounter

__all__ = ["Account", "Booking", "RateCounter", "Slot"]
