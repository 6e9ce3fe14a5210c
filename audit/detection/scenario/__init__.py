"""Scenario generator: deterministic records-v1 history with planted abuse and a ground truth.

A scenario is a stretch of days at a set of offices of the sample network: ordinary applicants
booking and being served, plus broker rings with officers on the inside, bots flooding the
capital's queue, fictitious applications, and legitimate patterns that merely look unusual
(travel agencies' group sessions, families on one account, one-officer units, weekend clearance
work, priority walk-ins). The same parameters and seed always give the same bytes.
"""

from .generator import ScenarioResult, scenario_generate
from .network import UnknownOffice
from .parameters import SIZES, ScenarioParameters
from .plan import ScenarioTooLarge

__all__ = [
    "SIZES",
    "ScenarioParameters",
    "ScenarioResult",
    "ScenarioTooLarge",
    "UnknownOffice",
    "scenario_generate",
]
