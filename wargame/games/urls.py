from django.urls import path

from wargame.games import api

urlpatterns = [
    path("scenarios", api.scenario_list),
    path("games", api.game_list),
    path("games/<int:game_id>", api.game_detail),
    path("games/<int:game_id>/start", api.game_start),
    path("games/<int:game_id>/pause", api.game_pause),
    path("games/<int:game_id>/resume", api.game_resume),
    path("games/<int:game_id>/end", api.game_end),
    path("games/<int:game_id>/speed", api.game_speed),
    path("games/<int:game_id>/leaderboard", api.leaderboard),
    path("join", api.join),
]
