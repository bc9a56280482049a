import asyncio
import logging
from typing import Any

from celery import Task, shared_task
from celery.signals import worker_ready
from django.conf import settings

from wargame.games.models import Game, Team

logger = logging.getLogger(__name__)

LEASE_WAITS = 2


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def run_team_runner(self: Task[Any, Any], team_id: int, lease_waits: int = 0) -> None:
    """Run one team's runner until its game ends.

    acks_late: a worker killed mid-game leaves the task unacknowledged, so the
    broker hands it to another worker, whose runner replays the action log.
    A runner that finds the lease held waits out one lease period (the holder
    may be dead) a couple of times, then leaves the team to the holder.
    """
    from wargame.games.runner import run_team

    ran = asyncio.run(run_team(team_id))
    if not ran and lease_waits < LEASE_WAITS:
        team = Team.objects.select_related("game").filter(id=team_id).first()
        if team and not team.finished and team.game.state != Game.State.ENDED:
            run_team_runner.apply_async(
                (team_id, lease_waits + 1), countdown=settings.RUNNER_LEASE_S + 1
            )


@worker_ready.connect
def resume_orphaned_runners(**kwargs: Any) -> None:
    """On start, a worker restarts runners that may have died with a worker."""
    teams = Team.objects.filter(
        finished=False, game__state__in=[Game.State.RUNNING, Game.State.PAUSED]
    ).values_list("id", flat=True)
    for team_id in teams:
        run_team_runner.delay(team_id)
    if teams:
        logger.info("worker ready; checking runners teams=%s", list(teams))
