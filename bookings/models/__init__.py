"""Booking models, one module per concept; this package says what is public."""

from .accounts import Account
from .backlog import ClearanceDirective
from .ballot import Ballot, BallotEntry, BallotNotice
from .booking import Booking
from .capacity import Slot
from .limits import RateCounter
from .weekly import WeeklyFigures

__all__ = ["Account", "Ballot", "BallotEntry", "BallotNotice", "Booking", "ClearanceDirective",
           "RateCounter", "Slot", "WeeklyFigures"]
