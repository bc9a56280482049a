import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

# No 0/O, 1/I/L: codes are read off a projector and typed on phones.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Game(models.Model):
    """One play of a scenario by one or more teams, run by a facilitator.

    Game time while running is anchor_game_s + (now - anchor_at) * speed; pause
    folds the elapsed time into anchor_game_s and clears anchor_at. In a
    lockstep game time does not follow the wall clock: each team's runner
    moves it on once every player has answered the last frame.
    """

    class State(models.TextChoices):
        LOBBY = "lobby"
        RUNNING = "running"
        PAUSED = "paused"
        ENDED = "ended"

    name = models.CharField(max_length=80)
    scenario = models.CharField(max_length=80)
    seed = models.BigIntegerField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.LOBBY)
    speed = models.FloatField(default=1.0)
    lockstep = models.BooleanField(default=False)
    duration_s = models.FloatField()
    anchor_game_s = models.FloatField(default=0.0)
    anchor_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="games"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name

    def game_time_s(self, now: dt.datetime | None = None) -> float:
        elapsed_s = 0.0
        if self.state == Game.State.RUNNING and self.anchor_at and not self.lockstep:
            wall_s = ((now or timezone.now()) - self.anchor_at).total_seconds()
            elapsed_s = max(0.0, wall_s) * self.speed
        return min(self.anchor_game_s + elapsed_s, self.duration_s)


class Team(models.Model):
    """A group of players sharing one simulated system and one score.

    The runner that paces the team's simulation holds a lease on the row
    (runner_id, lease_until) so that two processes never run the same team.
    `score` is the latest snapshot for the leaderboard; once the game has
    ended it is the final score.
    """

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=40)
    join_code = models.CharField(max_length=12, unique=True, default=new_join_code)
    runner_id = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_seq = models.IntegerField(default=0)
    game_time_s = models.FloatField(default=0.0)
    finished = models.BooleanField(default=False)
    score = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["game", "name"], name="unique_team_name")
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Player(models.Model):
    """A person (or a bot) in a team, known by a display name and a secret token.

    Only the token's SHA-256 is stored; the token itself is shown once, at join.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="players")
    name = models.CharField(max_length=32)
    token_hash = models.CharField(max_length=64, unique=True)
    connections = models.IntegerField(default=0)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="unique_player_name")
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Action(models.Model):
    """A mitigation a player sent: the team's action log, replayed after a crash.

    applied_tick stays null until the runner claims the action; the runner
    stamps the simulation tick it applied it at, which is all a replay needs.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="actions")
    player = models.ForeignKey(Player, on_delete=models.CASCADE, related_name="actions")
    name = models.CharField(max_length=64)
    params = models.JSONField(default=dict)
    client_id = models.CharField(max_length=64)
    received_game_time_s = models.FloatField()
    applied_tick = models.IntegerField(null=True, blank=True)
    applied_game_time_s = models.FloatField(null=True, blank=True)
    effective_game_time_s = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["player", "client_id"], name="unique_action_client_id"
            )
        ]
        indexes = [models.Index(fields=["team", "applied_tick"])]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} by {self.player_id}"


class TeamFrame(models.Model):
    """A frame the runner published to a team, kept for browsers that reconnect."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="frames")
    seq = models.IntegerField()
    game_time_s = models.FloatField()
    signals = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "seq"], name="unique_frame_seq")
        ]
        ordering = ["team", "seq"]

    def __str__(self) -> str:
        return f"{self.team_id} #{self.seq}"
