from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from wargame.games.models import Game


def test_it_lists_scenarios(facilitator_api: APIClient) -> None:
    scenarios = facilitator_api.get("/api/scenarios").json()
    slugs = [scenario["slug"] for scenario in scenarios]
    assert "celebrity-post" in slugs
    assert set(scenarios[0]) == {"slug", "title", "summary", "duration_s"}


def test_it_creates_a_game(facilitator_api: APIClient) -> None:
    body = {
        "scenario": "celebrity-post",
        "name": "Friday",
        "teams": ["Blue", "Red"],
        "speed": 2,
    }
    response = facilitator_api.post("/api/games", body, format="json")
    assert response.status_code == 201
    game = response.json()
    assert game["state"] == "lobby"
    assert game["speed"] == 2
    assert [team["name"] for team in game["teams"]] == ["Blue", "Red"]
    codes = {team["join_code"] for team in game["teams"]}
    assert len(codes) == 2
    assert facilitator_api.get(f"/api/games/{game['id']}").json()["id"] == game["id"]
    assert [g["id"] for g in facilitator_api.get("/api/games").json()] == [game["id"]]


def test_anonymous_users_cannot_create_games(api: APIClient) -> None:
    response = api.post("/api/games", {}, format="json")
    assert response.status_code == 403
    assert "error" in response.json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "teams": ["Blue"]}, "scenario"),
        ({"scenario": "nope", "name": "x", "teams": ["Blue"]}, "scenario"),
        ({"scenario": "celebrity-post", "teams": ["Blue"]}, "name"),
        ({"scenario": "celebrity-post", "name": "x", "teams": []}, "teams"),
        ({"scenario": "celebrity-post", "name": "x", "teams": "Blue"}, "teams"),
        ({"scenario": "celebrity-post", "name": "x", "teams": ["A", "a"]}, "teams"),
        ({"scenario": "celebrity-post", "name": "x", "teams": [{"a": 1}]}, "teams"),
        (
            {"scenario": "celebrity-post", "name": "x", "teams": ["B"], "speed": 100},
            "speed",
        ),
        (
            {"scenario": "celebrity-post", "name": "x", "teams": ["B"], "speed": "f"},
            "speed",
        ),
        (
            {"scenario": "celebrity-post", "name": "x", "teams": ["B"], "seed": -1},
            "seed",
        ),
        ({"scenario": "celebrity-post", "name": "\x00", "teams": ["B"]}, "name"),
        (
            {"scenario": "celebrity-post", "name": "x", "teams": ["B"], "colour": 1},
            "colour",
        ),
        ([1, 2], "body"),
    ],
)
def test_bad_game_bodies_name_the_field(
    facilitator_api: APIClient, body: Any, field: str
) -> None:
    response = facilitator_api.post("/api/games", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["field"].split(".")[0] == field
    assert response.json()["error"]


def test_a_body_that_is_not_json_is_a_400(facilitator_api: APIClient) -> None:
    response = facilitator_api.post(
        "/api/games", "{nope", content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["error"]


def test_the_facilitator_runs_the_clock(
    facilitator_api: APIClient, game: Game, no_runners: None
) -> None:
    url = f"/api/games/{game.id}"
    assert facilitator_api.post(f"{url}/start").json()["state"] == "running"
    assert facilitator_api.post(f"{url}/pause").json()["state"] == "paused"
    assert (
        facilitator_api.post(f"{url}/speed", {"speed": 4}, format="json").json()[
            "speed"
        ]
        == 4
    )
    assert facilitator_api.post(f"{url}/resume").json()["state"] == "running"
    assert facilitator_api.post(f"{url}/end").json()["state"] == "ended"


def test_controls_refuse_impossible_changes(
    facilitator_api: APIClient, game: Game
) -> None:
    response = facilitator_api.post(f"/api/games/{game.id}/pause")
    assert response.status_code == 409
    assert response.json()["error"] == "the game is lobby"
    response = facilitator_api.post(
        f"/api/games/{game.id}/speed", {"speed": 0}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "speed"


def test_only_its_facilitator_controls_a_game(
    game: Game, other_facilitator: User, no_runners: None
) -> None:
    mallory = APIClient()
    mallory.force_login(other_facilitator)
    response = mallory.post(f"/api/games/{game.id}/start")
    assert response.status_code == 403
    assert response.json()["error"] == "only the game's facilitator controls it"
    assert mallory.get(f"/api/games/{game.id}").status_code == 404
    assert mallory.get("/api/games").json() == []
    game.refresh_from_db()
    assert game.state == "lobby"


def test_unknown_games_are_404(facilitator_api: APIClient, db: Any) -> None:
    response = facilitator_api.post("/api/games/999/start")
    assert response.status_code == 404
    assert "error" in response.json()


def test_anyone_reads_the_leaderboard(api: APIClient, game: Game) -> None:
    board = api.get(f"/api/games/{game.id}/leaderboard").json()
    assert board["state"] == "lobby"
    assert [row["name"] for row in board["teams"]] == ["Blue", "Red"]
    assert "join_code" not in board["teams"][0]


def test_unknown_api_paths_answer_json(api: APIClient) -> None:
    response = api.get("/api/nothing/here")
    assert response.status_code == 404
    assert response.json() == {"error": "no API at /api/nothing/here"}
