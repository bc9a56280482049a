"""Faults: the scenario's schedule of triggers on mechanisms.

A fault never sets a symptom. It adds a surge of first tries (a post), deletes
the hot key (an edit) or empties a cache node (a restart); what players then
see comes out of the clients, caches, pools and database reacting to that.
Each fault is one SimPy process that waits for its time.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import simpy

from simulation.clients import Surge
from simulation.scenario import (
    CacheNodeRestartFault,
    KeyInvalidationsFault,
    PostSurgeFault,
)

if TYPE_CHECKING:
    from simulation.engine import Simulation

FaultSpec = PostSurgeFault | KeyInvalidationsFault | CacheNodeRestartFault


def start_faults(sim: Simulation) -> None:
    """Start one process per fault of the scenario."""
    for fault in sim.scenario.faults:
        sim.env.process(_run(sim, fault))


def _ticks(sim: Simulation, seconds: float) -> int:
    return round(seconds / sim.tick_s)


def _run(sim: Simulation, fault: FaultSpec) -> Generator[simpy.Event, Any, None]:
    yield sim.env.timeout(_ticks(sim, fault.at))
    if isinstance(fault, PostSurgeFault):
        _post(sim, fault)
    elif isinstance(fault, KeyInvalidationsFault):
        yield from _edits(sim, fault)
    else:
        _node_restart(sim, fault)


def _post(sim: Simulation, fault: PostSurgeFault) -> None:
    tick = sim.tick_now()
    sim.clients.add_surge(Surge(fault, tick, sim.tick_s))
    text = fault.text or "a celebrity with %.0fM followers posted" % (
        fault.followers / 1e6
    )
    sim.signals.event(tick, "fault", text)


def _edits(
    sim: Simulation, fault: KeyInvalidationsFault
) -> Generator[simpy.Event, Any, None]:
    """The author edits; each edit deletes the key; gaps are random."""
    rng = sim.fault_rng
    tick = sim.tick_now()
    sim.signals.event(
        tick, "fault", fault.text or "the author started editing the post"
    )
    end = _ticks(sim, fault.until)
    while tick < end:
        sim.cache.invalidate(tick)
        sim.signals.log(
            tick,
            "api",
            "info",
            f"post edited by its author: deleted cache key {sim.cache.hot.name}",
            "edit",
            every_s=0.0,
        )
        gap_s = rng.uniform(fault.every_min, max(fault.every_min, fault.every_max))
        yield sim.env.timeout(max(1, _ticks(sim, gap_s)))
        tick = sim.tick_now()


def _node_restart(sim: Simulation, fault: CacheNodeRestartFault) -> None:
    tick = sim.tick_now()
    sim.cache.flush_node()
    sim.signals.event(tick, "fault", fault.text or "a cache node restarted")
    sim.signals.log(
        tick,
        "cache",
        "warning",
        "node restarted with an empty cache",
        "node-restart",
        every_s=0.0,
    )
