"""The one path for state changes: each function validates, writes in a
transaction and broadcasts after commit. Consumers, views and tasks call these.
"""

import datetime as dt
import logging
import secrets
import time
import unicodedata
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from simulation import ActionError
from wargame.games import groups, launch, scenarios
from wargame.games.models import (
    Action,
    Game,
    Player,
    Team,
    TeamFrame,
    hash_token,
    new_join_code,
)
from wargame.games.payloads import (
    game_payload,
    leaderboard_payload,
    timeline_entry,
)

logger = logging.getLogger(__name__)

SPEED_MIN = 0.25
SPEED_MAX = 60.0
NAME_MAX_CHARS = 32
TEAM_NAME_MAX_CHARS = 40

User = AbstractBaseUser | AnonymousUser


class ServiceError(Exception):
    """A request the game cannot honour; the message is shown to the user."""

    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(ServiceError):
    status = 404


class NotAllowed(ServiceError):
    status = 403


class Conflict(ServiceError):
    status = 409


# Creating and joining


def validate_display_name(raw: str, field: str = "name", max_chars: int = 32) -> str:
    name = " ".join(raw.split())
    if not name:
        raise ServiceError(f"{field} must not be empty", field)
    if len(name) > max_chars:
        raise ServiceError(f"{field} must be at most {max_chars} characters", field)
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise ServiceError(f"{field} must not contain control characters", field)
    return name


def create_game(
    user: User,
    scenario: str,
    name: str,
    team_names: list[str],
    speed: float = 1.0,
    seed: int | None = None,
    lockstep: bool = False,
) -> Game:
    try:
        entry = scenarios.get(scenario)
    except scenarios.UnknownScenario:
        raise ServiceError(f"no scenario called {scenario!r}", "scenario") from None
    name = validate_display_name(name, "name", 80)
    names = [
        validate_display_name(team, "teams", TEAM_NAME_MAX_CHARS) for team in team_names
    ]
    if not names:
        raise ServiceError("a game needs at least one team", "teams")
    if len({team.casefold() for team in names}) != len(names):
        raise ServiceError("team names must be different", "teams")
    _check_speed(speed)
    if not user.is_authenticated:
        raise NotAllowed("log in as a facilitator to create a game")

    with transaction.atomic():
        game = Game.objects.create(
            name=name,
            scenario=entry.slug,
            seed=secrets.randbelow(2**31) if seed is None else seed,
            speed=speed,
            lockstep=lockstep,
            duration_s=entry.duration_s,
            created_by_id=int(user.pk),
        )
        for team_name in names:
            Team.objects.create(
                game=game, name=team_name, join_code=_unused_join_code()
            )
    logger.info(
        "game created game=%s scenario=%s teams=%d seed=%s",
        game.id,
        game.scenario,
        len(names),
        game.seed,
    )
    return game


def _unused_join_code() -> str:
    while True:
        code = new_join_code()
        if not Team.objects.filter(join_code=code).exists():
            return code


def normalise_join_code(raw: str) -> str:
    return "".join(char for char in raw.upper() if char.isalnum())


def join(code: str, name: str) -> tuple[Player, str]:
    """Add a player to the team whose join code this is; returns it and its token."""
    team = (
        Team.objects.select_related("game")
        .filter(join_code=normalise_join_code(code))
        .first()
    )
    if team is None:
        raise NotFound("no team has this join code", "code")
    if team.game.state == Game.State.ENDED:
        raise Conflict("this game has ended", "code")
    name = validate_display_name(name, "name", NAME_MAX_CHARS)

    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            if team.players.filter(name__iexact=name).exists():
                raise Conflict(f"someone in this team is already called {name}", "name")
            player = Player.objects.create(
                team=team, name=name, token_hash=hash_token(token)
            )
    except IntegrityError:
        raise Conflict(
            f"someone in this team is already called {name}", "name"
        ) from None
    return player, token


def player_for_token(token: str) -> Player | None:
    return (
        Player.objects.select_related("team", "team__game")
        .filter(token_hash=hash_token(token))
        .first()
    )


# The facilitator's controls


def _controlled_game(game_id: int, user: User) -> Game:
    game = Game.objects.select_for_update().filter(id=game_id).first()
    if game is None:
        raise NotFound(f"no game {game_id}")
    if game.created_by_id != user.pk:
        raise NotAllowed("only the game's facilitator controls it")
    return game


def _check_speed(speed: float) -> None:
    if not SPEED_MIN <= speed <= SPEED_MAX:
        raise ServiceError(
            f"speed must be between {SPEED_MIN} and {SPEED_MAX}", "speed"
        )


def _transition(game: Game, from_states: list[str], fields: dict[str, Any]) -> None:
    """Conditional update: only one caller moves a game out of a state."""
    if game.state not in from_states:
        raise Conflict(f"the game is {game.state}", "state")
    changed = Game.objects.filter(id=game.id, state=game.state).update(**fields)
    if changed != 1:
        raise Conflict("the game changed meanwhile; try again", "state")
    for key, value in fields.items():
        setattr(game, key, value)


def start(game_id: int, user: User) -> Game:
    now = timezone.now()
    with transaction.atomic():
        game = _controlled_game(game_id, user)
        _transition(
            game,
            [Game.State.LOBBY],
            {"state": Game.State.RUNNING, "anchor_at": now, "started_at": now},
        )
        team_ids = list(game.teams.values_list("id", flat=True))
        _after_commit_game_changed(game.id)
        transaction.on_commit(lambda: launch.start_runners(team_ids))
    logger.info(
        "game started game=%s speed=%s lockstep=%s", game.id, game.speed, game.lockstep
    )
    return game


def pause(game_id: int, user: User) -> Game:
    now = timezone.now()
    with transaction.atomic():
        game = _controlled_game(game_id, user)
        _transition(
            game,
            [Game.State.RUNNING],
            {
                "state": Game.State.PAUSED,
                "anchor_game_s": game.game_time_s(now),
                "anchor_at": None,
            },
        )
        _after_commit_game_changed(game.id)
    logger.info("game paused game=%s game_time_s=%.1f", game.id, game.anchor_game_s)
    return game


def resume(game_id: int, user: User) -> Game:
    with transaction.atomic():
        game = _controlled_game(game_id, user)
        _transition(
            game,
            [Game.State.PAUSED],
            {"state": Game.State.RUNNING, "anchor_at": timezone.now()},
        )
        _after_commit_game_changed(game.id)
    logger.info("game resumed game=%s", game.id)
    return game


def set_speed(game_id: int, user: User, speed: float) -> Game:
    _check_speed(speed)
    now = timezone.now()
    with transaction.atomic():
        game = _controlled_game(game_id, user)
        if game.state == Game.State.ENDED:
            raise Conflict("the game has ended", "state")
        fields: dict[str, Any] = {"speed": speed}
        if game.state == Game.State.RUNNING:
            fields.update(anchor_game_s=game.game_time_s(now), anchor_at=now)
        _transition(game, [game.state], fields)
        _after_commit_game_changed(game.id)
    logger.info("game speed changed game=%s speed=%s", game.id, speed)
    return game


def end(game_id: int, user: User) -> Game:
    with transaction.atomic():
        game = _controlled_game(game_id, user)
        _end(game, timezone.now())
    logger.info(
        "game ended game=%s by=facilitator game_time_s=%.1f",
        game.id,
        game.anchor_game_s,
    )
    return game


def _end(game: Game, now: dt.datetime) -> None:
    _transition(
        game,
        [Game.State.LOBBY, Game.State.RUNNING, Game.State.PAUSED],
        {
            "state": Game.State.ENDED,
            "anchor_game_s": game.game_time_s(now),
            "anchor_at": None,
            "ended_at": now,
        },
    )
    _after_commit_game_changed(game.id)


def end_when_over(game_id: int) -> bool:
    """End a game whose clock has run out (or, lockstep, whose teams all finished)."""
    with transaction.atomic():
        game = Game.objects.select_for_update().get(id=game_id)
        if game.state == Game.State.ENDED:
            return False
        if game.lockstep:
            over = not game.teams.filter(finished=False).exists()
        else:
            over = game.game_time_s() >= game.duration_s
        if not over:
            return False
        try:
            _end(game, timezone.now())
        except Conflict:
            return False
    logger.info("game ended game=%s by=scenario-end", game_id)
    return True


def _after_commit_game_changed(game_id: int) -> None:
    def send() -> None:
        game = Game.objects.get(id=game_id)
        groups.broadcast(
            groups.game_group(game_id),
            {"type": "game.update", "game": game_payload(game, for_facilitator=False)},
        )
        groups.broadcast(
            groups.leaderboard_group(game_id),
            {"type": "leaderboard.update", "leaderboard": leaderboard_payload(game)},
        )

    transaction.on_commit(send)


# Players' actions


def record_action(
    player: Player, client_id: str, name: str, params: dict[str, Any]
) -> tuple[Action, bool]:
    """Store an action for the runner to apply; (action, created).

    An action whose client id this player already used is the same action sent
    again (a reconnect): it is returned, not stored twice.
    """
    existing = Action.objects.filter(player=player, client_id=client_id).first()
    if existing is not None:
        return existing, False
    team = Team.objects.select_related("game").get(id=player.team_id)
    game = team.game
    if game.state not in (Game.State.RUNNING, Game.State.PAUSED):
        raise Conflict(f"the game is {game.state}; actions are taken while it runs")
    entry = scenarios.get(game.scenario)
    if name not in {item["action"] for item in entry.catalog}:
        raise ServiceError(f"no action called {name!r} in this scenario", "action")
    try:
        params = entry.validate_action(name, params)
    except ActionError as error:
        raise ServiceError(str(error), "params") from None

    received_s = team.game_time_s if game.lockstep else game.game_time_s()
    with transaction.atomic():
        action = Action.objects.create(
            team=team,
            player=player,
            name=name,
            params=params,
            client_id=client_id,
            received_game_time_s=round(received_s, 3),
        )
        _after_commit_timeline(action)
    return action, True


def _after_commit_timeline(action: Action) -> None:
    message = {"type": "team.timeline", "action": timeline_entry(action)}
    transaction.on_commit(
        lambda: groups.broadcast(groups.team_group(action.team_id), message)
    )


def count_connection(player_id: int, delta: int) -> None:
    """Count a player's open websockets; lockstep runners wait for connected players."""
    Player.objects.filter(id=player_id).update(connections=F("connections") + delta)


# The runner's side


def claim_lease(team_id: int, runner_id: str, lease_s: float) -> bool:
    """Take (or renew) a team's runner lease; False if another runner holds it."""
    now = timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(runner_id=runner_id)
    claimed = Team.objects.filter(free, id=team_id, finished=False).update(
        runner_id=runner_id, lease_until=now + dt.timedelta(seconds=lease_s)
    )
    return claimed == 1


def runner_lease_expired(team_id: int) -> bool:
    now = timezone.now()
    return Team.objects.filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now), id=team_id, finished=False
    ).exists()


def renew_lease(team_id: int, runner_id: str, lease_s: float) -> bool:
    until = timezone.now() + dt.timedelta(seconds=lease_s)
    renewed = Team.objects.filter(id=team_id, runner_id=runner_id).update(
        lease_until=until
    )
    return renewed == 1


def release_lease(team_id: int, runner_id: str) -> None:
    Team.objects.filter(id=team_id, runner_id=runner_id).update(
        lease_until=None, runner_id=""
    )


def claim_actions(
    team_id: int, tick: int, game_time_s: float, paced: bool = False
) -> list[Action]:
    """Stamp the team's unapplied actions with this tick; return those claimed.

    In a paced game only actions received by `game_time_s` are claimed, so
    none applies before the game time at which its player sent it.
    """
    unapplied = Action.objects.filter(team_id=team_id, applied_tick__isnull=True)
    if paced:
        unapplied = unapplied.filter(received_game_time_s__lte=game_time_s + 1e-6)
    pending = list(unapplied.order_by("id").values_list("id", flat=True))
    if not pending:
        return []
    Action.objects.filter(id__in=pending, applied_tick__isnull=True).update(
        applied_tick=tick, applied_game_time_s=round(game_time_s, 3)
    )
    return list(
        Action.objects.filter(id__in=pending, applied_tick=tick)
        .select_related("player")
        .order_by("id")
    )


def record_applied(actions: list[Action]) -> None:
    """Store when each applied action takes effect and tell the team."""
    with transaction.atomic():
        for action in actions:
            Action.objects.filter(id=action.id).update(
                effective_game_time_s=action.effective_game_time_s
            )
            _after_commit_timeline(action)


LEADERBOARD_EVERY_S = 0.25
_leaderboard_sent_at: dict[int, float] = {}


def publish_frame(
    team_id: int, game_id: int, seq: int, signals: dict[str, Any]
) -> None:
    """Save a team's frame and score, then send them to the team and the leaderboard."""
    game_time_s = float(signals.get("game_time_s", 0.0))
    with transaction.atomic():
        TeamFrame.objects.create(
            team_id=team_id, seq=seq, game_time_s=game_time_s, signals=signals
        )
        Team.objects.filter(id=team_id).update(
            last_seq=seq, game_time_s=game_time_s, score=signals.get("score") or {}
        )
        transaction.on_commit(lambda: _send_frame(team_id, game_id, seq, signals))


def _send_frame(team_id: int, game_id: int, seq: int, signals: dict[str, Any]) -> None:
    groups.broadcast(
        groups.team_group(team_id),
        {"type": "team.frame", "seq": seq, "signals": signals},
    )
    # A few leaderboards a second are plenty, however fast the game runs.
    now = time.monotonic()
    if now - _leaderboard_sent_at.get(game_id, 0.0) >= LEADERBOARD_EVERY_S:
        _leaderboard_sent_at[game_id] = now
        send_leaderboard(game_id)


def send_leaderboard(game_id: int) -> None:
    groups.broadcast(
        groups.leaderboard_group(game_id),
        {
            "type": "leaderboard.update",
            "leaderboard": leaderboard_payload(Game.objects.get(id=game_id)),
        },
    )


def finish_team(team_id: int) -> None:
    """The team's simulation has reached the end: its score is final."""
    with transaction.atomic():
        Team.objects.filter(id=team_id).update(
            finished=True, lease_until=None, runner_id=""
        )
        game_id = Team.objects.values_list("game_id", flat=True).get(id=team_id)
        transaction.on_commit(lambda: send_leaderboard(game_id))
