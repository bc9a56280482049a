from django.contrib import admin

from wargame.games.models import Action, Game, Player, Team


@admin.register(Game)
class GameAdmin(admin.ModelAdmin):
    list_display = ["name", "scenario", "state", "speed", "created_by", "created_at"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "game", "join_code", "last_seq", "finished"]


@admin.register(Player)
class PlayerAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "joined_at"]
    exclude = ["token_hash"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "player", "received_game_time_s", "applied_tick"]
