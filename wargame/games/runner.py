"""The runner: paces one team's simulation against the game clock.

Paced games: every ~100 ms of wall time the runner computes the tick the game
clock has reached, applies the actions that arrived (stamping the tick on each
so the game replays), steps the simulation there and, a few times a second,
publishes a frame. Lockstep games: the runner steps one second of game time,
publishes the frame and waits until every connected player has sent `ready`
for it before applying their actions and moving on.

A new runner (after a crash, in another process) rebuilds the simulation by
replaying the team's action log, then carries on.
"""

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from simulation import ActionError, Simulation
from wargame.games import groups, scenarios, services
from wargame.games.models import Action, Game, Player, Team

logger = logging.getLogger(__name__)

STEP_WALL_S = 0.1
PUBLISH_EVERY_WALL_S = 0.25
LOCKSTEP_STEP_GAME_S = 1.0
INLINE_STEP_TICKS = 20


class LeaseLost(Exception):
    pass


@dataclass
class TeamRun:
    """One runner's hold on a team's simulation."""

    team_id: int
    game_id: int
    lockstep: bool
    runner_id: str
    sim: Simulation
    catalog_delay_s: dict[str, float]
    seq: int
    published_tick: int = -1
    published_at: float = 0.0
    lease_renewed_at: float = field(default_factory=time.monotonic)


async def run_team(team_id: int, lease_wait_s: float = 0.0) -> bool:
    """Run a team until its game ends; False if another runner holds the team.

    With lease_wait_s, a runner that finds the lease taken keeps trying that
    long: the holder may have died (a restarted web process, a killed worker)
    and its lease will run out.
    """
    runner_id = uuid.uuid4().hex
    lease_s = settings.RUNNER_LEASE_S
    claim = database_sync_to_async(services.claim_lease)
    deadline = time.monotonic() + lease_wait_s
    while not await claim(team_id, runner_id, lease_s):
        if time.monotonic() >= deadline:
            logger.debug("runner not needed team=%s: lease held or finished", team_id)
            return False
        await asyncio.sleep(1.0)
    logger.info("runner started team=%s runner=%s", team_id, runner_id)
    try:
        run = await database_sync_to_async(_restore)(team_id, runner_id)
        if run.lockstep:
            await _run_lockstep(run)
        else:
            await _run_paced(run)
    except LeaseLost:
        logger.warning("runner lost its lease team=%s runner=%s", team_id, runner_id)
        return True
    except asyncio.CancelledError:
        await database_sync_to_async(services.release_lease)(team_id, runner_id)
        raise
    except Exception:
        logger.exception("runner failed team=%s runner=%s", team_id, runner_id)
        await database_sync_to_async(services.release_lease)(team_id, runner_id)
        return True
    logger.info("runner stopped team=%s runner=%s", team_id, runner_id)
    return True


def _restore(team_id: int, runner_id: str) -> TeamRun:
    """Build the team's simulation and replay the actions already applied."""
    team = Team.objects.select_related("game").get(id=team_id)
    entry = scenarios.get(team.game.scenario)
    sim = entry.simulation(team.game.seed)
    applied = (
        Action.objects.filter(team_id=team_id, applied_tick__isnull=False)
        .select_related("player")
        .order_by("applied_tick", "id")
    )
    replayed = 0
    for action in applied:
        sim.advance_to(action.applied_tick or 0)
        _apply(sim, action)
        replayed += 1
    if replayed or team.last_seq:
        logger.info(
            "runner replayed team=%s actions=%d tick=%d", team_id, replayed, sim.tick
        )
    delays = {item["action"]: float(item.get("delay_s") or 0) for item in entry.catalog}
    return TeamRun(
        team_id=team_id,
        game_id=team.game_id,
        lockstep=team.game.lockstep,
        runner_id=runner_id,
        sim=sim,
        catalog_delay_s=delays,
        seq=team.last_seq,
    )


def _apply(sim: Simulation, action: Action) -> dict[str, Any] | None:
    try:
        entry: Any = sim.apply(action.name, action.params, by=action.player.name)
    except ActionError:
        logger.warning(
            "action rejected at apply action=%s team=%s", action.id, action.team_id
        )
        return None
    return entry if isinstance(entry, dict) else None


def _game_state(game_id: int) -> tuple[str, float]:
    game = Game.objects.get(id=game_id)
    return game.state, game.game_time_s()


async def _keep_lease(run: TeamRun) -> None:
    if time.monotonic() - run.lease_renewed_at < settings.RUNNER_LEASE_S / 4:
        return
    renewed = await database_sync_to_async(services.renew_lease)(
        run.team_id, run.runner_id, settings.RUNNER_LEASE_S
    )
    if not renewed:
        raise LeaseLost()
    run.lease_renewed_at = time.monotonic()


def _claim_actions(
    team_id: int, game_id: int, tick: int, game_time_s: float, paced: bool
) -> tuple[list[Action], str]:
    """The claimed actions and the game's state, read in one trip to the database."""
    actions = services.claim_actions(team_id, tick, game_time_s, paced)
    return actions, Game.objects.values_list("state", flat=True).get(id=game_id)


async def _apply_pending(run: TeamRun) -> str:
    """Claim the actions that arrived and apply them at the current tick.

    Returns the game's state, which the lockstep loop needs next anyway.
    """
    sim = run.sim
    actions, state = await database_sync_to_async(_claim_actions)(
        run.team_id, run.game_id, sim.tick, sim.game_time_s, not run.lockstep
    )
    if not actions:
        return state
    for action in actions:
        entry = _apply(sim, action)
        effective_s = (entry or {}).get("effective_game_time_s")
        if effective_s is None:
            effective_s = sim.game_time_s + run.catalog_delay_s.get(action.name, 0.0)
        action.effective_game_time_s = round(float(effective_s), 3)
    await database_sync_to_async(services.record_applied)(actions)
    return state


def _publish_frame(
    team_id: int, game_id: int, seq: int, signals: dict[str, Any]
) -> set[int]:
    """Publish, and say which players are connected (lockstep waits for them)."""
    services.publish_frame(team_id, game_id, seq, signals)
    return _connected_players(team_id)


async def _publish(run: TeamRun) -> set[int] | None:
    """Publish a frame if the simulation moved; the connected players if it did."""
    if run.sim.tick == run.published_tick:
        return None
    run.seq += 1
    # Logs and events since the last frame, however much game time it covers
    # (a fast game publishes a frame every several game seconds).
    since_s = run.published_tick * run.sim.tick_s if run.published_tick >= 0 else None
    signals = run.sim.frame(since_s=since_s)
    connected = await database_sync_to_async(_publish_frame)(
        run.team_id, run.game_id, run.seq, signals
    )
    run.published_tick = run.sim.tick
    run.published_at = time.monotonic()
    return connected


async def _step_to(run: TeamRun, game_time_s: float) -> None:
    sim = run.sim
    target_tick = int(min(game_time_s, sim.duration_s) / sim.tick_s + 1e-6)
    if target_tick - sim.tick > INLINE_STEP_TICKS:
        # Catching up (after a replay or a stall) takes long enough to block
        # the event loop: do it in a thread.
        await asyncio.to_thread(sim.advance_to, target_tick)
    elif target_tick > sim.tick:
        sim.advance_to(target_tick)


async def _finish(run: TeamRun) -> None:
    await _publish(run)
    await database_sync_to_async(services.finish_team)(run.team_id)
    await database_sync_to_async(services.end_when_over)(run.game_id)


async def _run_paced(run: TeamRun) -> None:
    """Follow the game clock until the game ends."""
    while True:
        await _keep_lease(run)
        state, game_time_s = await database_sync_to_async(_game_state)(run.game_id)
        if state in (Game.State.RUNNING, Game.State.ENDED):
            # Catch up first: an action applies at or after the game time it
            # was received, never before (a runner that was away replays).
            await _step_to(run, game_time_s)
            await _apply_pending(run)
        if state == Game.State.ENDED:
            await _finish(run)
            return
        if run.sim.finished:
            await _finish(run)
            return
        due = time.monotonic() - run.published_at >= PUBLISH_EVERY_WALL_S
        if state == Game.State.RUNNING and due:
            await _publish(run)
        await asyncio.sleep(STEP_WALL_S)


async def _run_lockstep(run: TeamRun) -> None:
    """Step a second of game time per round of `ready` from the team's players."""
    layer = get_channel_layer()
    assert layer is not None, "lockstep games need a channel layer"
    channel = await layer.new_channel()
    await layer.group_add(groups.runner_group(run.team_id), channel)
    readies: dict[int, int] = {}
    state, _ = await database_sync_to_async(_game_state)(run.game_id)
    try:
        while True:
            await _keep_lease(run)
            if state == Game.State.ENDED or run.sim.finished:
                await _finish(run)
                return
            if state != Game.State.RUNNING:
                await asyncio.sleep(STEP_WALL_S)
                state, _ = await database_sync_to_async(_game_state)(run.game_id)
                continue
            await _step_to(run, run.sim.game_time_s + LOCKSTEP_STEP_GAME_S)
            connected = await _publish(run) or set()
            await _wait_ready(run, layer, channel, readies, connected)
            state = await _apply_pending(run)
    finally:
        await layer.group_discard(groups.runner_group(run.team_id), channel)


def _connected_players(team_id: int) -> set[int]:
    # Limitation: the counts are kept by the consumers, so a web process that
    # dies leaves its players counted; a lockstep game then waits for readies
    # that never come. Only `play` runs lockstep games, in a process of its own.
    return set(
        Player.objects.filter(team_id=team_id, connections__gt=0).values_list(
            "id", flat=True
        )
    )


async def _wait_ready(
    run: TeamRun, layer: Any, channel: str, readies: dict[int, int], needed: set[int]
) -> None:
    """Wait until every connected player has sent `ready` for the last frame."""
    while not (needed and all(readies.get(p, 0) >= run.seq for p in needed)):
        try:
            message = await asyncio.wait_for(layer.receive(channel), STEP_WALL_S)
        except TimeoutError:
            await _keep_lease(run)
            state, _ = await database_sync_to_async(_game_state)(run.game_id)
            if state == Game.State.ENDED:
                return
            needed = await database_sync_to_async(_connected_players)(run.team_id)
            continue
        if message.get("type") == "runner.ready":
            player, seq = int(message["player"]), int(message["seq"])
            readies[player] = max(readies.get(player, 0), seq)
