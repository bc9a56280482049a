"""A headless match: one team per bot, each bot a websocket client.

The bots speak the browser's protocol to the real ASGI application through
channels.testing.WebsocketCommunicator, in one event loop with the inline
runners. With --speed max the game runs in lockstep: each bot answers each
frame before game time moves on, so a seed gives the same result every time.

Unless DATABASE_URL is set, the match uses a throwaway SQLite file, never the
embedded database the demo lives in.
"""

import asyncio
import json
import logging
import tempfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from wargame.bots.client import BotClient
from wargame.bots.policies import POLICIES
from wargame.games import launch, scenarios, services
from wargame.games.models import Action, Game, Team

logger = logging.getLogger(__name__)

TEAM_NAMES = ["Blue", "Red", "Green", "Yellow", "Purple", "Orange", "Cyan", "Pink"]
PLAY_USERNAME = "play-bot-facilitator"
MATCH_TIMEOUT_S = 3600.0


class Command(BaseCommand):
    help = "Play a headless match between bots and print the result."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("scenario", help="a scenario file, e.g. scenarios/x.yaml")
        parser.add_argument(
            "--bots", default="naive,expert", help="policies, comma-separated"
        )
        parser.add_argument(
            "--speed", default="max", help="'max' (lockstep) or x real time"
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["scenario"]).resolve()
        if not path.is_file():
            raise CommandError(f"no scenario file {options['scenario']}")
        bots = [bot.strip() for bot in options["bots"].split(",") if bot.strip()]
        unknown = [bot for bot in bots if bot not in POLICIES]
        if not bots or unknown:
            raise CommandError(f"--bots: unknown {unknown}; known: {sorted(POLICIES)}")
        speed = _parse_speed(options["speed"])

        # Logging every SQL query (DEBUG) would double the time a match takes.
        settings.DEBUG = False
        scenarios_dir = settings.SCENARIOS_DIR
        settings.SCENARIOS_DIR = path.parent
        try:
            scenarios.get(path.stem)
            with _throwaway_database():
                result = asyncio.run(
                    asyncio.wait_for(
                        _match(path.stem, bots, speed, options["seed"]),
                        MATCH_TIMEOUT_S,
                    )
                )
        finally:
            settings.SCENARIOS_DIR = scenarios_dir
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2))
        else:
            self.stdout.write(_table(result))


def _parse_speed(raw: str) -> float | None:
    if raw == "max":
        return None
    try:
        speed = float(raw)
    except ValueError:
        raise CommandError(f"--speed must be 'max' or a number, got {raw!r}") from None
    if not services.SPEED_MIN <= speed <= services.SPEED_MAX:
        raise CommandError(
            f"--speed must be between {services.SPEED_MIN} and {services.SPEED_MAX}"
        )
    return speed


class _throwaway_database:
    """Point the default database at a temporary SQLite file if it is the demo's."""

    def __init__(self) -> None:
        self.saved_name: Any = None
        self.directory: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> None:
        database = connections.settings["default"]
        if str(database["NAME"]) != str(settings.EMBEDDED_DB_PATH):
            return
        self.directory = tempfile.TemporaryDirectory(prefix="wargame-play-")
        self.saved_name = database["NAME"]
        self._use(Path(self.directory.name) / "play.sqlite3")
        call_command("migrate", verbosity=0)

    def __exit__(self, *exc: object) -> None:
        if self.directory is None:
            return
        self._use(self.saved_name)
        self.directory.cleanup()

    def _use(self, name: Any) -> None:
        connections["default"].close()
        connections.settings["default"]["NAME"] = name
        connections["default"].settings_dict["NAME"] = name


async def _match(
    slug: str, bots: list[str], speed: float | None, seed: int
) -> dict[str, Any]:
    from wargame.asgi import application

    launch.use_loop(asyncio.get_running_loop())
    game_id, user_id, tokens = await database_sync_to_async(_set_up)(
        slug, bots, speed, seed
    )
    origin = settings.WS_ALLOWED_ORIGINS[0].encode()
    clients = []
    for bot, token in zip(bots, tokens, strict=True):
        communicator = WebsocketCommunicator(
            application, "/ws/play/", headers=[(b"origin", origin)]
        )
        connected, _ = await communicator.connect()
        if not connected:
            raise CommandError("the websocket refused the bot's connection")
        client = BotClient(communicator, POLICIES[bot]())
        await client.hello(token)
        clients.append(client)

    await database_sync_to_async(_start)(game_id, user_id)
    try:
        await asyncio.gather(*(client.play() for client in clients))
        await launch.wait_inline_runners()
    finally:
        for client in clients:
            await client.communicator.disconnect()
    return await database_sync_to_async(_results)(game_id, bots)


def _set_up(
    slug: str, bots: list[str], speed: float | None, seed: int
) -> tuple[int, int, list[str]]:
    user, _ = get_user_model().objects.get_or_create(username=PLAY_USERNAME)
    names = [
        TEAM_NAMES[index] if index < len(TEAM_NAMES) else f"Team {index + 1}"
        for index in range(len(bots))
    ]
    game = services.create_game(
        user,
        scenario=slug,
        name=f"play {slug} {','.join(bots)}",
        team_names=names,
        speed=speed or 1.0,
        seed=seed,
        lockstep=speed is None,
    )
    tokens = []
    for team, bot in zip(game.teams.order_by("id"), bots, strict=True):
        _, token = services.join(team.join_code, f"{bot} bot")
        tokens.append(token)
    return game.id, user.pk, tokens


def _start(game_id: int, user_id: int) -> None:
    services.start(game_id, get_user_model().objects.get(pk=user_id))


def _results(game_id: int, bots: list[str]) -> dict[str, Any]:
    game = Game.objects.get(id=game_id)
    teams = []
    for team, bot in zip(
        Team.objects.filter(game=game).order_by("id"), bots, strict=True
    ):
        score = team.score or {}
        applied = Action.objects.filter(team=team, applied_tick__isnull=False).order_by(
            "applied_tick", "id"
        )
        teams.append(
            {
                "team": team.name,
                "bot": bot,
                "score": score.get("score"),
                "availability": score.get("availability_ratio"),
                "latency_p99_ms": score.get("latency_p99_ms"),
                "slo_met": score.get("slo_met"),
                "actions": [
                    {"at_s": action.applied_game_time_s, "action": action.name}
                    for action in applied
                ],
            }
        )
    return {
        "scenario": game.scenario,
        "seed": game.seed,
        "teams": teams,
        "winner": _winner(teams),
    }


def _winner(teams: list[dict[str, Any]]) -> str | None:
    scored = sorted(teams, key=lambda team: -(team["score"] or 0.0))
    if not scored or (len(scored) > 1 and scored[0]["score"] == scored[1]["score"]):
        return None
    return str(scored[0]["team"])


def _table(result: dict[str, Any]) -> str:
    lines = [f"scenario {result['scenario']} seed {result['seed']}"]
    for team in result["teams"]:
        lines.append(
            f"  {team['team']:<8} {team['bot']:<8} score {team['score']}  "
            f"availability {team['availability']}  p99 {team['latency_p99_ms']} ms  "
            f"actions {len(team['actions'])}"
        )
    lines.append(f"winner: {result['winner']}")
    return "\n".join(lines)
