import asyncio
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import User

from tests.conftest import Persona, say_hello
from wargame.games import runner, scenarios, services
from wargame.games.models import Action, Game, Team

pytestmark = pytest.mark.django_db(transaction=True)


async def next_of(socket: Any, kind: str, timeout_s: float = 5) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = await socket.receive_json_from(timeout=timeout_s)
        if message["type"] == kind:
            return message


def first_action(game: Game) -> tuple[str, dict[str, Any]]:
    item = scenarios.get(game.scenario).catalog[0]
    return item["action"], {
        name: spec["default"] for name, spec in item["params"].items()
    }


async def test_the_runner_paces_frames_and_applies_actions(
    alice: Persona, game: Game, facilitator: User
) -> None:
    socket, welcome = await say_hello(alice.token)
    await database_sync_to_async(services.set_speed)(game.id, facilitator, 10)
    await database_sync_to_async(services.start)(game.id, facilitator)
    first = await next_of(socket, "frame")
    second = await next_of(socket, "frame")
    assert second["seq"] == first["seq"] + 1
    assert second["signals"]["game_time_s"] > first["signals"]["game_time_s"]

    name, params = first_action(game)
    await socket.send_json_to(
        {"type": "action", "id": "a-1", "action": name, "params": params}
    )
    await next_of(socket, "ack")
    recorded = await next_of(socket, "timeline")
    assert recorded["action"]["applied_game_time_s"] is None
    applied = await next_of(socket, "timeline")
    assert applied["action"]["id"] == "a-1"
    assert applied["action"]["applied_game_time_s"] is not None
    assert (
        applied["action"]["applied_game_time_s"]
        >= applied["action"]["received_game_time_s"]
    )
    assert (
        applied["action"]["effective_game_time_s"]
        >= applied["action"]["applied_game_time_s"]
    )

    await database_sync_to_async(services.pause)(game.id, facilitator)
    await next_of(socket, "game")
    await asyncio.sleep(0.4)
    while not await socket.receive_nothing(timeout=0.1):
        pass
    assert await socket.receive_nothing(timeout=0.5)

    await database_sync_to_async(services.end)(game.id, facilitator)
    ended = await next_of(socket, "game")
    assert ended["game"]["state"] == "ended"
    for _ in range(50):
        team = await database_sync_to_async(Team.objects.get)(id=alice.team.id)
        if team.finished:
            break
        await asyncio.sleep(0.1)
    assert team.finished and team.score and team.lease_until is None
    await socket.disconnect()


def build_log(
    game: Game, team: Team, alice: Persona
) -> list[tuple[int, str, dict[str, Any]]]:
    """Three actions, claimed by a runner at ticks 5, 5 and 40."""
    name, params = first_action(game)
    log = []
    for client_id, tick in (("a-1", 5), ("a-2", 5), ("a-3", 40)):
        action, _ = services.record_action(alice.player, client_id, name, params)
        Action.objects.filter(id=action.id).update(applied_tick=tick)
        log.append((tick, name, params))
    return log


def test_a_new_runner_replays_the_action_log(
    alice: Persona, running_game: Game
) -> None:
    log = build_log(running_game, alice.team, alice)
    replayed = runner._restore(alice.team.id, "new-runner")

    expected = scenarios.get(running_game.scenario).simulation(running_game.seed)
    for tick, name, params in log:
        expected.advance_to(tick)
        expected.apply(name, params, by="alice")
    for sim in (expected, replayed.sim):
        sim.advance_to(100)
    assert replayed.sim.frame() == expected.frame()


def test_only_one_runner_holds_a_team(alice: Persona, running_game: Game) -> None:
    assert services.claim_lease(alice.team.id, "one", 10)
    assert not services.claim_lease(alice.team.id, "two", 10)
    assert services.renew_lease(alice.team.id, "one", 10)
    assert not services.renew_lease(alice.team.id, "two", 10)
    Team.objects.filter(id=alice.team.id).update(lease_until="2000-01-01T00:00Z")
    assert services.claim_lease(alice.team.id, "two", 10)
    assert not services.renew_lease(alice.team.id, "one", 10)


def test_actions_are_claimed_once(alice: Persona, running_game: Game) -> None:
    name, params = first_action(running_game)
    services.record_action(alice.player, "a-1", name, params)
    assert [a.client_id for a in services.claim_actions(alice.team.id, 7, 0.7)] == [
        "a-1"
    ]
    assert services.claim_actions(alice.team.id, 8, 0.8) == []
    assert Action.objects.get().applied_tick == 7


async def test_the_first_player_back_restarts_a_dead_runner(
    alice: Persona, game: Game, facilitator: User, settings: Any, monkeypatch: Any
) -> None:
    """After a restart, a running game's runner held a lease nobody renews."""
    settings.RUNNER_LEASE_S = 1
    monkeypatch.setattr("wargame.games.launch.start_runners", lambda team_ids: None)
    await database_sync_to_async(services.start)(game.id, facilitator)
    await database_sync_to_async(services.claim_lease)(alice.team.id, "dead-process", 1)
    monkeypatch.undo()

    socket, _ = await say_hello(alice.token)
    frame = await next_of(socket, "frame", timeout_s=5)
    assert frame["seq"] == 1
    team = await database_sync_to_async(Team.objects.get)(id=alice.team.id)
    assert team.runner_id not in ("", "dead-process")
    await database_sync_to_async(services.end)(game.id, facilitator)
    await next_of(socket, "game")
    await socket.disconnect()
