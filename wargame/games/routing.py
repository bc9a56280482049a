from channels.generic.websocket import AsyncWebsocketConsumer
from django.urls import path, re_path

from wargame.games.consumers import LeaderboardConsumer, PlayConsumer


class UnknownPathConsumer(AsyncWebsocketConsumer):
    """Refuses a websocket to a path the server does not serve."""

    async def connect(self) -> None:
        await self.close()


websocket_urlpatterns = [
    path("ws/play/", PlayConsumer.as_asgi()),
    path("ws/leaderboard/<int:game_id>/", LeaderboardConsumer.as_asgi()),
    re_path(r"", UnknownPathConsumer.as_asgi()),
]
