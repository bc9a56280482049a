"""The Django project: games, teams, players, the websocket protocol, the runner."""

from wargame.celery import app as celery_app

__all__ = ["celery_app"]
