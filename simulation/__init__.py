"""The simulation core of wargame: pure Python, SimPy-driven, deterministic.

This package knows nothing of Django, the network or the wall clock. Given a
scenario, a seed and tick-stamped actions it produces the same frames, bit for
bit. See docs/protocol.md (sections 1-3) for the contract.
"""

from simulation.actions import ActionError
from simulation.engine import Simulation
from simulation.scenario import (
    Scenario,
    ScenarioError,
    list_scenarios,
    load_scenario,
)

__all__ = [
    "ActionError",
    "Scenario",
    "ScenarioError",
    "Simulation",
    "list_scenarios",
    "load_scenario",
]
