import functools
import io
import json
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


@functools.cache
def play(seed: int) -> str:
    """A headless match at full speed; cached, the tests only read it."""
    out = io.StringIO()
    scenario = str(settings.BASE_DIR / "scenarios" / "celebrity-post.yaml")
    call_command(
        "play",
        scenario,
        "--bots",
        "naive,expert",
        "--speed",
        "max",
        "--json",
        "--seed",
        str(seed),
        stdout=out,
    )
    return out.getvalue()


def test_a_headless_match_reports_each_team(db: Any) -> None:
    result = json.loads(play(1))
    assert result["scenario"] == "celebrity-post"
    assert result["seed"] == 1
    assert [(team["team"], team["bot"]) for team in result["teams"]] == [
        ("Blue", "naive"),
        ("Red", "expert"),
    ]
    for team in result["teams"]:
        assert set(team) == {
            "team",
            "bot",
            "score",
            "availability",
            "latency_p99_ms",
            "slo_met",
            "actions",
        }
        assert isinstance(team["score"], (int, float))
        assert 0 <= team["availability"] <= 1
        assert isinstance(team["slo_met"], bool)
        for action in team["actions"]:
            assert set(action) == {"at_s", "action"}
    assert result["winner"] in ("Blue", "Red")


def test_the_expert_beats_the_naive_bot(db: Any) -> None:
    result = json.loads(play(1))
    naive, expert = result["teams"]
    assert expert["score"] > naive["score"]
    assert result["winner"] == "Red"
    assert expert["actions"]


def test_a_seed_replays_byte_for_byte(db: Any) -> None:
    first = play(1)
    play.cache_clear()
    assert play(1) == first
