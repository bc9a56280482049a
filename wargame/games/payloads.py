"""The JSON shapes the API and the websockets share (docs/protocol.md)."""

from typing import Any

from wargame.games.models import Action, Game, Player, Team


def team_payload(team: Team, with_code: bool) -> dict[str, Any]:
    payload: dict[str, Any] = {"id": team.id, "name": team.name}
    if with_code:
        payload["join_code"] = team.join_code
        payload["players"] = [
            {"id": player.id, "name": player.name} for player in team.players.all()
        ]
    return payload


def game_payload(game: Game, for_facilitator: bool = True) -> dict[str, Any]:
    """The game as in the API; players get the teams without codes and members."""
    teams = game.teams.prefetch_related("players").order_by("id")
    return {
        "id": game.id,
        "name": game.name,
        "scenario": game.scenario,
        "seed": game.seed,
        "state": game.state,
        "speed": game.speed,
        "lockstep": game.lockstep,
        "game_time_s": round(_game_time_s(game, list(teams)), 3),
        "duration_s": game.duration_s,
        "teams": [team_payload(team, for_facilitator) for team in teams],
    }


def _game_time_s(game: Game, teams: list[Team]) -> float:
    if game.lockstep and teams:
        # Each team moves on at its players' pace; the slowest is the game's time.
        return min(team.game_time_s for team in teams)
    return game.game_time_s()


def player_payload(player: Player) -> dict[str, Any]:
    return {"id": player.id, "name": player.name}


def timeline_entry(action: Action) -> dict[str, Any]:
    return {
        "id": action.client_id,
        "action_id": action.id,
        "player": action.player.name,
        "action": action.name,
        "params": action.params,
        "received_game_time_s": action.received_game_time_s,
        "applied_game_time_s": action.applied_game_time_s,
        "effective_game_time_s": action.effective_game_time_s,
    }


def leaderboard_row(team: Team) -> dict[str, Any]:
    score = team.score or {}
    return {
        "id": team.id,
        "name": team.name,
        "score": score.get("score", 0.0),
        "availability_ratio": score.get("availability_ratio"),
        "latency_p99_ms": score.get("latency_p99_ms"),
        "error_budget_left_ratio": score.get("error_budget_left_ratio"),
        "slo_met": score.get("slo_met"),
        "game_time_s": team.game_time_s,
        "finished": team.finished,
        "parts": score.get("parts", []),
    }


def leaderboard_payload(game: Game) -> dict[str, Any]:
    teams = list(game.teams.order_by("id"))
    rows = sorted(
        (leaderboard_row(team) for team in teams), key=lambda row: -row["score"]
    )
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return {
        "game": {"id": game.id, "name": game.name, "scenario": game.scenario},
        "state": game.state,
        "game_time_s": round(_game_time_s(game, teams), 3),
        "duration_s": game.duration_s,
        "teams": rows,
    }
