from django.apps import AppConfig


class GamesConfig(AppConfig):
    name = "wargame.games"
    default_auto_field = "django.db.models.BigAutoField"
