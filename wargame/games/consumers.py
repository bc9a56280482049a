"""Websocket consumers: a player's war room and the read-only leaderboard."""

import json
import logging
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.db.models import QuerySet

from wargame.games import frames, groups, launch, scenarios, services
from wargame.games.models import Game, Player, TeamFrame
from wargame.games.payloads import (
    game_payload,
    leaderboard_payload,
    player_payload,
    team_payload,
    timeline_entry,
)

logger = logging.getLogger(__name__)

# A browser that (re)loads gets this many frames, spread evenly over the last
# HISTORY_WINDOW_S of game time, so its charts start full; ~4 KB each.
HISTORY_FRAMES = 120
HISTORY_WINDOW_S = 900.0
MISSED_FRAMES_MAX = 2000


class PlayConsumer(AsyncWebsocketConsumer):
    """A player's war room: hello, then actions and readies; frames come back.

    The player's token decides the team; nothing a client sends names a team.
    """

    player_id: int | None = None
    team_id: int | None = None
    game_id: int | None = None

    async def connect(self) -> None:
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.player_id is None or self.team_id is None or self.game_id is None:
            return
        await self.channel_layer.group_discard(
            groups.team_group(self.team_id), self.channel_name
        )
        await self.channel_layer.group_discard(
            groups.game_group(self.game_id), self.channel_name
        )
        await database_sync_to_async(services.count_connection)(self.player_id, -1)

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None
    ) -> None:
        try:
            frame = frames.parse(text_data)
        except frames.BadFrame as bad:
            await self.send_error(bad.message, bad.field, bad.id)
            return
        if isinstance(frame, frames.Ping):
            await self.send_json({"type": "pong"})
        elif isinstance(frame, frames.Hello):
            await self.hello(frame)
        elif self.player_id is None:
            await self.send_error("send hello first", "type")
        elif isinstance(frame, frames.ActionFrame):
            await self.action(frame)
        elif isinstance(frame, frames.Ready):
            await self.ready(frame)

    async def hello(self, frame: frames.Hello) -> None:
        if self.player_id is not None:
            await self.send_error("hello was already said on this connection", "type")
            return
        welcome = await database_sync_to_async(_welcome)(frame.token, frame.last_seq)
        if welcome is None:
            await self.send_error("unknown token", "token")
            return
        player: Player = welcome.pop("_player")
        self.player_id, self.team_id = player.id, player.team_id
        self.game_id = player.team.game_id
        await self.channel_layer.group_add(
            groups.team_group(self.team_id), self.channel_name
        )
        await self.channel_layer.group_add(
            groups.game_group(self.game_id), self.channel_name
        )
        await self.send_json(welcome)
        if welcome["game"]["state"] in (Game.State.RUNNING, Game.State.PAUSED):
            await database_sync_to_async(_ensure_runner)(self.team_id)

    async def action(self, frame: frames.ActionFrame) -> None:
        assert self.player_id is not None
        try:
            entry = await database_sync_to_async(_record_action)(
                self.player_id, frame.id, frame.action, frame.params
            )
        except services.ServiceError as error:
            await self.send_error(error.message, error.field, frame.id)
            return
        await self.send_json({"type": "ack", "id": frame.id, "action": entry})

    async def ready(self, frame: frames.Ready) -> None:
        assert self.team_id is not None
        await self.channel_layer.group_send(
            groups.runner_group(self.team_id),
            {"type": "runner.ready", "seq": frame.seq, "player": self.player_id},
        )

    async def send_error(
        self, error: str, field: str | None, id: str | None = None
    ) -> None:
        message: dict[str, Any] = {"type": "error", "error": error}
        if field:
            message["field"] = field
        if id is not None:
            message["id"] = id
        await self.send_json(message)

    async def send_json(self, message: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(message))

    async def team_frame(self, event: dict[str, Any]) -> None:
        await self.send_json(
            {"type": "frame", "seq": event["seq"], "signals": event["signals"]}
        )

    async def team_timeline(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "timeline", "action": event["action"]})

    async def game_update(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "game", "game": event["game"]})


def _welcome(token: str, last_seq: int | None) -> dict[str, Any] | None:
    player = services.player_for_token(token)
    if player is None:
        return None
    services.count_connection(player.id, +1)
    team, game = player.team, player.team.game
    entry = scenarios.get(game.scenario)
    frames_qs = TeamFrame.objects.filter(team=team)
    if last_seq is None:
        recent = _history(frames_qs)
    else:
        recent = list(
            frames_qs.filter(seq__gt=last_seq).order_by("seq")[:MISSED_FRAMES_MAX]
        )
    actions = team.actions.select_related("player").order_by("id")
    return {
        "_player": player,
        "type": "welcome",
        "player": player_payload(player),
        "team": team_payload(team, with_code=False),
        "game": game_payload(game, for_facilitator=False),
        "briefing": entry.briefing,
        "catalog": entry.catalog,
        "history": [{"seq": frame.seq, "signals": frame.signals} for frame in recent],
        "timeline": [timeline_entry(action) for action in actions],
    }


def _history(frames_qs: QuerySet[TeamFrame]) -> list[TeamFrame]:
    """Frames spread evenly over the recent window, oldest first, newest kept."""
    latest = frames_qs.order_by("-seq").values_list("game_time_s", flat=True).first()
    if latest is None:
        return []
    window = frames_qs.filter(game_time_s__gte=latest - HISTORY_WINDOW_S)
    seqs = list(window.order_by("seq").values_list("seq", flat=True))
    step = max(1, -(-len(seqs) // HISTORY_FRAMES))
    chosen = seqs[::-1][::step][::-1]
    return list(frames_qs.filter(seq__in=chosen).order_by("seq"))


def _record_action(
    player_id: int, client_id: str, name: str, params: dict[str, Any]
) -> dict[str, Any]:
    player = Player.objects.get(id=player_id)
    action, _ = services.record_action(player, client_id, name, params)
    return timeline_entry(action)


def _ensure_runner(team_id: int) -> None:
    """After a restart, the first player back brings the team's runner back."""
    if settings.RUNNER_MODE == "inline":
        # A runner started here waits for a dead process's lease to run out.
        if not launch.inline_runner_running(team_id):
            launch.start_runners([team_id])
    elif services.runner_lease_expired(team_id):
        launch.start_runners([team_id])


class LeaderboardConsumer(AsyncWebsocketConsumer):
    """Read-only: the game's leaderboard, sent whenever a team's score moves."""

    async def connect(self) -> None:
        game_id = int(self.scope["url_route"]["kwargs"]["game_id"])
        board = await database_sync_to_async(_leaderboard)(game_id)
        if board is None:
            await self.close(code=4404)
            return
        await self.accept()
        await self.channel_layer.group_add(
            groups.leaderboard_group(game_id), self.channel_name
        )
        self.game_id = game_id
        await self.send(text_data=json.dumps({"type": "leaderboard", **board}))

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "game_id"):
            await self.channel_layer.group_discard(
                groups.leaderboard_group(self.game_id), self.channel_name
            )

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None
    ) -> None:
        try:
            frame = frames.parse(text_data)
        except frames.BadFrame as bad:
            frame = None
            error = bad.message
        else:
            error = "the leaderboard is read-only"
        if isinstance(frame, frames.Ping):
            await self.send(text_data=json.dumps({"type": "pong"}))
            return
        await self.send(text_data=json.dumps({"type": "error", "error": error}))

    async def leaderboard_update(self, event: dict[str, Any]) -> None:
        await self.send(
            text_data=json.dumps({"type": "leaderboard", **event["leaderboard"]})
        )


def _leaderboard(game_id: int) -> dict[str, Any] | None:
    game = Game.objects.filter(id=game_id).first()
    return leaderboard_payload(game) if game else None
