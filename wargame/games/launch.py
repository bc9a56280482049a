"""Where team runners run: asyncio tasks in this process, or Celery tasks."""

import asyncio
import contextvars
import logging
from typing import Any

from asgiref.typing import ASGIReceiveCallable, ASGISendCallable
from django.conf import settings

logger = logging.getLogger(__name__)

_main_loop: asyncio.AbstractEventLoop | None = None
_inline_runners: dict[int, "asyncio.Task[bool]"] = {}


def use_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Run inline runners on this event loop (the ASGI server's, or `play`'s)."""
    global _main_loop
    _main_loop = loop


class LoopRecorder:
    """ASGI middleware remembering the server's event loop for inline runners."""

    def __init__(self, application: Any) -> None:
        self.application = application

    async def __call__(
        self, scope: Any, receive: ASGIReceiveCallable, send: ASGISendCallable
    ) -> None:
        loop = asyncio.get_running_loop()
        if loop is not _main_loop:
            use_loop(loop)
        await self.application(scope, receive, send)


def start_runners(team_ids: list[int]) -> None:
    """Start a runner per team; safe to call for a team that already has one."""
    if settings.RUNNER_MODE == "celery":
        from wargame.games.tasks import run_team_runner

        for team_id in team_ids:
            try:
                run_team_runner.delay(team_id)
            except Exception:
                # The game has started; the team's players bring the runner
                # back when they (re)connect, once the broker answers again.
                logger.exception("cannot queue runner team=%s", team_id)
        return

    loop = _main_loop
    if loop is None or loop.is_closed():
        logger.warning(
            "no event loop for inline runners teams=%s; they start on the next "
            "websocket connection",
            team_ids,
        )
        return
    for team_id in team_ids:
        # A fresh context: the caller's (often inside sync_to_async) must not
        # leak into a task that outlives it.
        loop.call_soon_threadsafe(_spawn_inline, team_id, context=contextvars.Context())


def _spawn_inline(team_id: int) -> None:
    from wargame.games.runner import run_team

    loop = asyncio.get_running_loop()
    task = _inline_runners.get(team_id)
    if task is not None and not task.done() and task.get_loop() is loop:
        return
    lease_wait_s = settings.RUNNER_LEASE_S + 1.0
    _inline_runners[team_id] = loop.create_task(
        run_team(team_id, lease_wait_s), context=contextvars.Context()
    )


async def wait_inline_runners() -> None:
    """Wait for this loop's inline runners to stop (used by `play`)."""
    loop = asyncio.get_running_loop()
    tasks = [task for task in _inline_runners.values() if task.get_loop() is loop]
    await asyncio.gather(*tasks, return_exceptions=True)


def inline_runner_running(team_id: int) -> bool:
    task = _inline_runners.get(team_id)
    return task is not None and not task.done()
