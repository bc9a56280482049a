from django.urls import path

from wargame.games.consumers import LeaderboardConsumer, PlayConsumer

websocket_urlpatterns = [
    path("ws/play/", PlayConsumer.as_asgi()),
    path("ws/leaderboard/<int:game_id>/", LeaderboardConsumer.as_asgi()),
]
