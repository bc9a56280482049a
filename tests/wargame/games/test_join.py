from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from wargame.games.models import Game, Player, Team, hash_token


@pytest.fixture(autouse=True)
def clear_throttles() -> None:
    cache.clear()


def test_alice_joins_blue_with_its_code(api: APIClient, blue: Team) -> None:
    response = api.post(
        "/api/join", {"code": blue.join_code, "name": "alice"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["team"] == {"id": blue.id, "name": "Blue"}
    assert body["player"]["name"] == "alice"
    assert body["game"]["name"] == "Friday game day"
    player = Player.objects.get(id=body["player"]["id"])
    assert player.token_hash == hash_token(body["token"])
    assert body["token"] not in player.token_hash


def test_codes_are_forgiving_about_case_and_dashes(api: APIClient, blue: Team) -> None:
    code = blue.join_code.lower()[:3] + "-" + blue.join_code.lower()[3:]
    response = api.post("/api/join", {"code": code, "name": "alice"}, format="json")
    assert response.status_code == 200


def test_join_rejects_an_unknown_code(api: APIClient, game: Game) -> None:
    response = api.post("/api/join", {"code": "ZZZZZZ", "name": "alice"}, format="json")
    assert response.status_code == 404
    assert response.json() == {"error": "no team has this join code", "field": "code"}


def test_join_rejects_a_name_taken_in_the_team(
    api: APIClient, blue: Team, alice: Any
) -> None:
    response = api.post(
        "/api/join", {"code": blue.join_code, "name": "Alice"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["field"] == "name"


def test_the_same_name_may_play_in_another_team(
    api: APIClient, red: Team, alice: Any
) -> None:
    response = api.post(
        "/api/join", {"code": red.join_code, "name": "alice"}, format="json"
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "blank"),
        ("   ", "blank"),
        ("a" * 33, "at most"),
        ("al\u0007ice", "control"),
        ("bob\u202e", "control"),
    ],
)
def test_join_rejects_bad_names(
    api: APIClient, blue: Team, name: str, problem: str
) -> None:
    response = api.post(
        "/api/join", {"code": blue.join_code, "name": name}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "name"
    assert problem in response.json()["error"]


@pytest.mark.parametrize(
    "body", [{}, {"code": 5, "name": []}, {"code": "A"}, "x", None]
)
def test_bad_join_bodies_are_4xx(api: APIClient, game: Game, body: Any) -> None:
    response = api.post("/api/join", body, format="json")
    assert 400 <= response.status_code < 500
    assert response.json()["error"]


def test_joining_an_ended_game_is_refused(
    api: APIClient, game: Game, blue: Team
) -> None:
    Game.objects.filter(id=game.id).update(state="ended")
    response = api.post(
        "/api/join", {"code": blue.join_code, "name": "alice"}, format="json"
    )
    assert response.status_code == 409


def test_join_attempts_are_throttled(
    api: APIClient, game: Game, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"join": "3/min"})
    statuses = [
        api.post(
            "/api/join", {"code": "ZZZZZZ", "name": "x"}, format="json"
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [404, 404, 404, 429]
