"""The HTTP API under /api/ (docs/protocol.md, section 4)."""

from typing import Any

from rest_framework import status
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from wargame.games import scenarios, services
from wargame.games.models import Game
from wargame.games.payloads import (
    game_payload,
    leaderboard_payload,
    player_payload,
    team_payload,
)
from wargame.games.serializers import (
    CreateGameSerializer,
    JoinSerializer,
    SpeedSerializer,
)


def _valid(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@api_view(["GET"])
def scenario_list(request: Request) -> Response:
    return Response([entry.listing() for entry in scenarios.all_entries()])


@api_view(["GET", "POST"])
def game_list(request: Request) -> Response:
    if request.method == "GET":
        games = Game.objects.filter(created_by_id=request.user.pk).order_by("-id")
        return Response([game_payload(game) for game in games])
    body = _valid(CreateGameSerializer, request)
    game = services.create_game(
        request.user,
        scenario=body["scenario"],
        name=body["name"],
        team_names=body["teams"],
        speed=body["speed"],
        seed=body.get("seed"),
    )
    return Response(game_payload(game), status=status.HTTP_201_CREATED)


@api_view(["GET"])
def game_detail(request: Request, game_id: int) -> Response:
    game = Game.objects.filter(id=game_id, created_by_id=request.user.pk).first()
    if game is None:
        raise services.NotFound(f"no game {game_id} of yours")
    return Response(game_payload(game))


@api_view(["POST"])
def game_start(request: Request, game_id: int) -> Response:
    return Response(game_payload(services.start(game_id, request.user)))


@api_view(["POST"])
def game_pause(request: Request, game_id: int) -> Response:
    return Response(game_payload(services.pause(game_id, request.user)))


@api_view(["POST"])
def game_resume(request: Request, game_id: int) -> Response:
    return Response(game_payload(services.resume(game_id, request.user)))


@api_view(["POST"])
def game_end(request: Request, game_id: int) -> Response:
    return Response(game_payload(services.end(game_id, request.user)))


@api_view(["POST"])
def game_speed(request: Request, game_id: int) -> Response:
    body = _valid(SpeedSerializer, request)
    return Response(
        game_payload(services.set_speed(game_id, request.user, body["speed"]))
    )


@api_view(["POST"])
@permission_classes([AllowAny])
@throttle_classes([ScopedRateThrottle])
def join(request: Request) -> Response:
    body = _valid(JoinSerializer, request)
    player, token = services.join(body["code"], body["name"])
    team, game = player.team, player.team.game
    return Response(
        {
            "token": token,
            "player": player_payload(player),
            "team": team_payload(team, with_code=False),
            "game": {"id": game.id, "name": game.name},
        }
    )


join.cls.throttle_scope = "join"  # type: ignore[attr-defined]


@api_view(["GET"])
@permission_classes([AllowAny])
def leaderboard(request: Request, game_id: int) -> Response:
    game = Game.objects.filter(id=game_id).first()
    if game is None:
        raise services.NotFound(f"no game {game_id}")
    return Response(leaderboard_payload(game))
