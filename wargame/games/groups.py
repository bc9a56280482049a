"""Channel-layer group names and the one way to send to a group from sync code."""

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)


def team_group(team_id: int) -> str:
    return f"team-{team_id}"


def game_group(game_id: int) -> str:
    return f"game-{game_id}"


def leaderboard_group(game_id: int) -> str:
    return f"leaderboard-{game_id}"


def runner_group(team_id: int) -> str:
    return f"runner-{team_id}"


def broadcast(group: str, message: dict[str, Any]) -> None:
    """Send to a group; a broken channel layer costs the message, not the caller."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:
        logger.exception("broadcast failed group=%s type=%s", group, message["type"])
