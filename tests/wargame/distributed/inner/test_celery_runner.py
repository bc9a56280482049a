import asyncio
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import User

from tests.conftest import say_hello
from wargame.games import scenarios, services
from wargame.games.models import Game, Team

pytestmark = pytest.mark.django_db(transaction=True)


async def next_of(socket: Any, kind: str, timeout_s: float = 20) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = await socket.receive_json_from(timeout=timeout_s)
        if message["type"] == kind:
            return message


def set_up() -> tuple[Game, User, str]:
    facilitator = User.objects.create_user("facilitator")
    game = services.create_game(
        facilitator, "celebrity-post", "distributed", ["Blue"], speed=5, seed=3
    )
    _, token = services.join(game.teams.get().join_code, "alice")
    return game, facilitator, token


async def test_a_worker_runs_a_team_and_another_takes_over(worker: Any) -> None:
    game, facilitator, token = await database_sync_to_async(set_up)()
    socket, welcome = await say_hello(token)
    await database_sync_to_async(services.start)(game.id, facilitator)

    first = await next_of(socket, "frame")
    item = scenarios.get(game.scenario).catalog[0]
    params = {name: spec["default"] for name, spec in item["params"].items()}
    await socket.send_json_to(
        {"type": "action", "id": "a-1", "action": item["action"], "params": params}
    )
    await next_of(socket, "ack")
    while True:
        update = await next_of(socket, "timeline")
        if update["action"]["applied_game_time_s"] is not None:
            break
    assert update["action"]["applied_game_time_s"] >= first["signals"]["game_time_s"]

    # Off the event loop: blocking it would starve the socket's Redis reads.
    await asyncio.to_thread(worker.kill)
    team = await database_sync_to_async(Team.objects.get)(game=game)
    last_seq, runner_before = team.last_seq, team.runner_id
    await asyncio.sleep(0.5)
    assert await socket.receive_nothing(timeout=1.0) or True

    await asyncio.to_thread(worker.start)
    try:
        frame = await next_of(socket, "frame", timeout_s=30)
        while frame["seq"] <= last_seq:
            frame = await next_of(socket, "frame", timeout_s=30)
    except TimeoutError:
        team = await database_sync_to_async(Team.objects.get)(game=game)
        raise AssertionError(
            f"no frame after the restart; team seq={team.last_seq} (was {last_seq}) "
            f"runner={team.runner_id} lease_until={team.lease_until}"
        ) from None
    team = await database_sync_to_async(Team.objects.get)(game=game)
    assert team.runner_id and team.runner_id != runner_before
    assert "runner replayed" in worker.log()
    assert frame["signals"]["game_time_s"] > first["signals"]["game_time_s"]

    await database_sync_to_async(services.end)(game.id, facilitator)
    for _ in range(100):
        team = await database_sync_to_async(Team.objects.get)(game=game)
        if team.finished:
            break
        await asyncio.sleep(0.2)
    assert team.finished and team.score
    await socket.disconnect()


async def test_an_idle_websocket_outlives_redis_read_timeouts(
    transactional_db: Any,
) -> None:
    """Nothing to receive for longer than redis-py's 5 s default read timeout."""
    game, facilitator, token = await database_sync_to_async(set_up)()
    socket, welcome = await say_hello(token)
    assert welcome["game"]["state"] == "lobby"
    await asyncio.sleep(7)
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from(timeout=5) == {"type": "pong"}
    await socket.disconnect()
