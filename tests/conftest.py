"""Personas and helpers shared by the tests: a facilitator; alice on team Blue;
bob on team Red."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from channels import layers
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from wargame.games import services
from wargame.games.models import Game, Player, Team

ORIGIN = (b"origin", b"http://localhost:8000")
SCENARIO = "celebrity-post"


@dataclass
class Persona:
    player: Player
    token: str
    team: Team


@pytest.fixture(autouse=True)
def fresh_channel_layer() -> Iterator[None]:
    """Each test gets an empty in-memory channel layer."""
    layers.channel_layers.backends.clear()
    services._leaderboard_sent_at.clear()
    yield
    layers.channel_layers.backends.clear()


@pytest.fixture
def facilitator(db: Any) -> User:
    return User.objects.create_user("facilitator", password="correct horse")


@pytest.fixture
def other_facilitator(db: Any) -> User:
    return User.objects.create_user("mallory", password="battery staple")


@pytest.fixture
def game(facilitator: User) -> Game:
    return services.create_game(
        facilitator, SCENARIO, "Friday game day", ["Blue", "Red"], seed=1
    )


@pytest.fixture
def blue(game: Game) -> Team:
    return game.teams.get(name="Blue")


@pytest.fixture
def red(game: Game) -> Team:
    return game.teams.get(name="Red")


@pytest.fixture
def alice(blue: Team) -> Persona:
    player, token = services.join(blue.join_code, "alice")
    return Persona(player, token, blue)


@pytest.fixture
def bob(red: Team) -> Persona:
    player, token = services.join(red.join_code, "bob")
    return Persona(player, token, red)


@pytest.fixture
def carol(blue: Team) -> Persona:
    """alice's teammate."""
    player, token = services.join(blue.join_code, "carol")
    return Persona(player, token, blue)


@pytest.fixture
def running_game(game: Game, facilitator: User, no_runners: None) -> Game:
    return services.start(game.id, facilitator)


@pytest.fixture
def no_runners(monkeypatch: pytest.MonkeyPatch) -> None:
    """Games start without runners; the test drives frames itself."""
    monkeypatch.setattr("wargame.games.launch.start_runners", lambda team_ids: None)


@pytest.fixture
def api() -> APIClient:
    return APIClient(enforce_csrf_checks=True)


@pytest.fixture
def facilitator_api(facilitator: User) -> APIClient:
    client = APIClient()
    client.force_login(facilitator)
    return client


def play_socket() -> WebsocketCommunicator:
    from wargame.asgi import application

    return WebsocketCommunicator(application, "/ws/play/", headers=[ORIGIN])


async def say_hello(
    token: str, last_seq: int | None = None
) -> tuple[WebsocketCommunicator, dict[str, Any]]:
    socket = play_socket()
    connected, _ = await socket.connect()
    assert connected
    hello: dict[str, Any] = {"type": "hello", "token": token}
    if last_seq is not None:
        hello["last_seq"] = last_seq
    await socket.send_json_to(hello)
    welcome = await socket.receive_json_from(timeout=5)
    return socket, welcome
