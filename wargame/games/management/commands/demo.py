"""Set up (idempotently) a demo facilitator and a demo game, and say how to join."""

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from wargame.games import services
from wargame.games.models import Game

USERNAME = "facilitator"
SCENARIO = "celebrity-post"
GAME_NAME = "Demo: celebrity post"


class Command(BaseCommand):
    help = "Create the demo facilitator and game (once) and print the join codes."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--host", default="localhost", help="the host name to print in addresses"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0)
        user_model = get_user_model()
        user, _ = user_model.objects.get_or_create(
            username=USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        password = settings.DEMO_PASSWORD
        if not user.check_password(password):
            user.set_password(password)
            user.save()

        game = (
            Game.objects.filter(created_by=user, name=GAME_NAME)
            .exclude(state=Game.State.ENDED)
            .first()
        )
        if game is None:
            game = services.create_game(
                user, SCENARIO, GAME_NAME, ["Blue", "Red"], speed=1.0, seed=1
            )

        address = f"http://{options['host']}:{settings.PORT}/"
        self.stdout.write(f"wargame demo at {address}")
        self.stdout.write(f"  facilitator: {address}facilitator")
        self.stdout.write(f"    login: {USERNAME} / {password}")
        self.stdout.write(f"  game: {game.name} (id {game.id}, {game.state})")
        for team in game.teams.order_by("id"):
            self.stdout.write(f"    team {team.name}: join code {team.join_code}")
        self.stdout.write(f"  players join at {address} with a team's code")
        self.stdout.write(f"  leaderboard: {address}leaderboard/{game.id}")
