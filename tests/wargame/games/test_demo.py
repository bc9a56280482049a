import io
from typing import Any

from django.core.management import call_command

from wargame.games.models import Game


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_sets_up_a_game_with_two_teams_once(db: Any) -> None:
    first = run_demo()
    game = Game.objects.get()
    codes = [team.join_code for team in game.teams.order_by("id")]
    assert [team.name for team in game.teams.order_by("id")] == ["Blue", "Red"]
    assert "login: facilitator / wargame" in first
    assert all(code in first for code in codes)
    assert run_demo() == first
    assert Game.objects.count() == 1
