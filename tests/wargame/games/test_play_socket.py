import json
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from tests.conftest import Persona, play_socket, say_hello
from wargame.asgi import application
from wargame.games import services
from wargame.games.frames import MAX_FRAME_BYTES
from wargame.games.models import Action, Game, Team, TeamFrame

pytestmark = pytest.mark.django_db(transaction=True)


async def test_hello_gets_the_welcome(alice: Persona, running_game: Game) -> None:
    socket, welcome = await say_hello(alice.token)
    assert welcome["type"] == "welcome"
    assert welcome["player"] == {"id": alice.player.id, "name": "alice"}
    assert welcome["team"] == {"id": alice.team.id, "name": "Blue"}
    assert welcome["game"]["state"] == "running"
    assert all("join_code" not in team for team in welcome["game"]["teams"])
    assert welcome["catalog"] and welcome["catalog"][0]["action"]
    assert isinstance(welcome["briefing"], str)
    assert welcome["history"] == [] and welcome["timeline"] == []
    await socket.disconnect()


async def test_a_bad_token_gets_an_error(game: Game) -> None:
    socket, reply = await say_hello("not-a-token")
    assert reply == {"type": "error", "error": "unknown token", "field": "token"}
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from() == {"type": "pong"}
    await socket.disconnect()


async def test_frames_before_hello_are_refused(alice: Persona) -> None:
    socket = play_socket()
    await socket.connect()
    await socket.send_json_to({"type": "ready", "seq": 1})
    reply = await socket.receive_json_from()
    assert reply["type"] == "error" and "hello" in reply["error"]
    await socket.disconnect()


@pytest.mark.parametrize(
    ("frame", "field", "words"),
    [
        ("{not json", None, "not valid JSON"),
        ("[1, 2]", None, "JSON object"),
        ('{"kind": "action"}', "type", "no type"),
        ('{"type": "dance"}', "type", "unknown frame type"),
        (
            '{"type": "action", "id": "a1", "params": {}}',
            "action",
            "missing field action",
        ),
        ('{"type": "action", "id": "a1", "action": 5}', "action", "field action"),
        (
            '{"type": "action", "id": "a1", "action": "x", "params": []}',
            "params",
            "params",
        ),
        ('{"type": "ready", "seq": "7"}', "seq", "field seq"),
        ('{"type": "ready", "seq": -1}', "seq", "field seq"),
        ('{"type": "ready", "seq": 1, "team": 2}', "team", "unexpected field team"),
        ('{"type": "hello", "token": "x"}', "type", "already"),
        (
            '{"type": "action", "id": "a1", "action": "scale_api", '
            '"params": {"replicas": NaN}}',
            None,
            "NaN, which is not a JSON number",
        ),
        (
            '{"type": "action", "id": "a1", "action": "scale_api", "params": '
            '{"replicas": ' + "[" * 5000 + "]" * 5000 + "}}",
            None,
            "nested too deeply",
        ),
        (
            '{"type": "action", "id": "a1", "action": "scale_api", "params": '
            '{"replicas": ' + "[" * 9 + "]" * 9 + "}}",
            None,
            "nested too deeply",
        ),
    ],
)
async def test_bad_frames_get_errors_and_the_connection_stays_open(
    alice: Persona, running_game: Game, frame: str, field: str | None, words: str
) -> None:
    socket, _ = await say_hello(alice.token)
    await socket.send_to(text_data=frame)
    reply = await socket.receive_json_from()
    assert reply["type"] == "error"
    assert words in reply["error"]
    assert reply.get("field") == field
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from() == {"type": "pong"}
    await socket.disconnect()


async def test_huge_frames_are_refused(alice: Persona, running_game: Game) -> None:
    socket, _ = await say_hello(alice.token)
    huge = {
        "type": "action",
        "id": "a1",
        "action": "scale_api",
        "params": {"x": "y" * MAX_FRAME_BYTES},
    }
    await socket.send_json_to(huge)
    reply = await socket.receive_json_from()
    assert reply["type"] == "error" and "too large" in reply["error"]
    await socket.send_to(bytes_data=b"\x00\x01")
    assert "binary" in (await socket.receive_json_from())["error"]
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from() == {"type": "pong"}
    await socket.disconnect()


async def test_a_foreign_origin_is_refused(alice: Persona) -> None:
    for headers in ([(b"origin", b"http://evil.example")], []):
        socket = WebsocketCommunicator(application, "/ws/play/", headers=headers)
        connected, _ = await socket.connect()
        assert not connected


async def test_an_unknown_websocket_path_is_refused(db: Any) -> None:
    for path in ("/ws/nothing/", "/ws/leaderboard/abc/"):
        socket = WebsocketCommunicator(
            application, path, headers=[(b"origin", b"http://127.0.0.1:8000")]
        )
        connected, _ = await socket.connect()
        assert not connected


def valid_action(catalog: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    item = catalog[0]
    params = {name: spec["default"] for name, spec in item["params"].items()}
    return item["action"], params


async def test_an_action_is_acked_after_its_row_exists(
    alice: Persona, running_game: Game
) -> None:
    socket, welcome = await say_hello(alice.token)
    name, params = valid_action(welcome["catalog"])
    await socket.send_json_to(
        {"type": "action", "id": "c-1", "action": name, "params": params}
    )
    ack = await socket.receive_json_from()
    while ack["type"] != "ack":
        ack = await socket.receive_json_from()
    row = await database_sync_to_async(Action.objects.get)(client_id="c-1")
    assert row.team_id == alice.team.id and row.player_id == alice.player.id
    assert ack["id"] == "c-1"
    assert ack["action"]["action"] == name
    assert ack["action"]["player"] == "alice"
    assert ack["action"]["applied_game_time_s"] is None
    await socket.disconnect()


async def test_sending_an_action_again_does_not_store_it_twice(
    alice: Persona, running_game: Game
) -> None:
    socket, welcome = await say_hello(alice.token)
    name, params = valid_action(welcome["catalog"])
    for _ in range(2):
        await socket.send_json_to(
            {"type": "action", "id": "c-1", "action": name, "params": params}
        )
    replies = [await socket.receive_json_from() for _ in range(3)]
    assert [reply["type"] for reply in replies].count("ack") == 2
    assert await database_sync_to_async(Action.objects.count)() == 1
    await socket.disconnect()


async def test_bad_actions_are_refused_naming_the_problem(
    alice: Persona, running_game: Game
) -> None:
    socket, welcome = await say_hello(alice.token)
    name, _ = valid_action(welcome["catalog"])
    await socket.send_json_to(
        {"type": "action", "id": "c-1", "action": "reboot_universe"}
    )
    reply = await socket.receive_json_from()
    assert (
        reply["type"] == "error" and reply["field"] == "action" and reply["id"] == "c-1"
    )
    await socket.send_json_to(
        {"type": "action", "id": "c-2", "action": name, "params": {"replicas": "lots"}}
    )
    reply = await socket.receive_json_from()
    assert (
        reply["type"] == "error" and reply["field"] == "params" and reply["id"] == "c-2"
    )
    assert await database_sync_to_async(Action.objects.count)() == 0
    await socket.disconnect()


async def test_alice_cannot_act_in_red_with_any_id(
    alice: Persona, bob: Persona, running_game: Game
) -> None:
    socket, welcome = await say_hello(alice.token)
    name, params = valid_action(welcome["catalog"])
    red = bob.team.id
    for extra in ({"team": red}, {"team_id": red}, {"player": bob.player.id}):
        frame = {
            "type": "action",
            "id": "c-9",
            "action": name,
            "params": params,
            **extra,
        }
        await socket.send_json_to(frame)
        reply = await socket.receive_json_from()
        assert reply["type"] == "error" and "unexpected field" in reply["error"]
    await socket.send_json_to({"type": "hello", "token": bob.token})
    assert (await socket.receive_json_from())["type"] == "error"
    await socket.send_json_to(
        {"type": "action", "id": "c-10", "action": name, "params": params}
    )
    while (reply := await socket.receive_json_from())["type"] != "ack":
        pass
    assert await database_sync_to_async(
        lambda: list(Action.objects.values_list("team_id", flat=True))
    )() == [alice.team.id]
    await socket.disconnect()


async def test_teammates_see_each_others_actions(
    alice: Persona, carol: Persona, bob: Persona, running_game: Game
) -> None:
    alice_socket, welcome = await say_hello(alice.token)
    carol_socket, _ = await say_hello(carol.token)
    bob_socket, _ = await say_hello(bob.token)
    name, params = valid_action(welcome["catalog"])
    await alice_socket.send_json_to(
        {"type": "action", "id": "c-1", "action": name, "params": params}
    )
    seen = await carol_socket.receive_json_from(timeout=1)
    assert seen["type"] == "timeline"
    assert seen["action"]["player"] == "alice" and seen["action"]["id"] == "c-1"
    assert await bob_socket.receive_nothing(timeout=0.3)
    _, later = await say_hello(carol.token)
    assert [entry["id"] for entry in later["timeline"]] == ["c-1"]
    for socket in (alice_socket, carol_socket, bob_socket):
        await socket.disconnect()


def publish(team_id: int, seq: int) -> None:
    signals = {"tick": seq * 10, "game_time_s": float(seq), "score": {"score": seq}}
    game_id = Team.objects.get(id=team_id).game_id
    services.publish_frame(team_id, game_id, seq, signals)


async def test_frames_reach_the_team_only(
    alice: Persona, bob: Persona, running_game: Game
) -> None:
    alice_socket, _ = await say_hello(alice.token)
    bob_socket, _ = await say_hello(bob.token)
    await database_sync_to_async(publish)(alice.team.id, 1)
    frame = await alice_socket.receive_json_from()
    assert frame == {
        "type": "frame",
        "seq": 1,
        "signals": json.loads(json.dumps(frame["signals"])),
    }
    assert frame["signals"]["game_time_s"] == 1.0
    assert await bob_socket.receive_nothing(timeout=0.3)
    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_a_reconnect_gets_the_frames_it_missed(
    alice: Persona, running_game: Game
) -> None:
    for seq in range(1, 6):
        await database_sync_to_async(publish)(alice.team.id, seq)
    socket, welcome = await say_hello(alice.token, last_seq=3)
    assert [frame["seq"] for frame in welcome["history"]] == [4, 5]
    await socket.disconnect()
    socket, welcome = await say_hello(alice.token)
    assert [frame["seq"] for frame in welcome["history"]] == [1, 2, 3, 4, 5]
    await socket.disconnect()


def store_frames(team_id: int, count: int) -> None:
    TeamFrame.objects.bulk_create(
        TeamFrame(team_id=team_id, seq=seq, game_time_s=float(seq), signals={})
        for seq in range(1, count + 1)
    )


async def test_a_fresh_page_gets_the_last_fifteen_minutes_spread_out(
    alice: Persona, running_game: Game
) -> None:
    """A reload fills its charts from frames spread over the last 15 minutes."""
    await database_sync_to_async(store_frames)(alice.team.id, 2000)
    socket, welcome = await say_hello(alice.token)
    seqs = [frame["seq"] for frame in welcome["history"]]
    assert 100 <= len(seqs) <= 120
    assert seqs == sorted(seqs)
    assert seqs[-1] == 2000
    assert 1100 <= seqs[0] <= 1120
    await socket.disconnect()


async def test_players_hear_about_pause(
    alice: Persona, running_game: Game, facilitator: Any
) -> None:
    socket, _ = await say_hello(alice.token)
    await database_sync_to_async(services.pause)(running_game.id, facilitator)
    message = await socket.receive_json_from()
    assert message["type"] == "game" and message["game"]["state"] == "paused"
    await socket.disconnect()


async def test_the_leaderboard_is_read_only(alice: Persona, running_game: Game) -> None:
    socket = WebsocketCommunicator(
        application,
        f"/ws/leaderboard/{running_game.id}/",
        headers=[(b"origin", b"http://localhost:8000")],
    )
    connected, _ = await socket.connect()
    assert connected
    board = await socket.receive_json_from()
    assert board["type"] == "leaderboard"
    assert [row["name"] for row in board["teams"]] == ["Blue", "Red"]
    await socket.send_json_to({"type": "action", "id": "x", "action": "y"})
    assert (await socket.receive_json_from())["type"] == "error"
    await database_sync_to_async(publish)(alice.team.id, 1)
    board = await socket.receive_json_from()
    assert board["teams"][0]["name"] == "Blue" and board["teams"][0]["score"] == 1
    await socket.disconnect()


async def test_the_leaderboard_of_an_unknown_game_is_refused(db: Any) -> None:
    socket = WebsocketCommunicator(
        application,
        "/ws/leaderboard/999/",
        headers=[(b"origin", b"http://localhost:8000")],
    )
    connected, _ = await socket.connect()
    assert not connected
