"""Runs the distributed suite (inner/) in its own pytest process.

Distributed mode is chosen by environment variables read when the settings
load, so it cannot share a process with the embedded-mode tests. This test
starts `pytest tests/wargame/distributed/inner` with REDIS_URL and
DATABASE_URL set, against Redis and PostgreSQL on 127.0.0.1.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("WARGAME_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
DATABASE_URL = os.environ.get(
    "WARGAME_TEST_DATABASE_URL",
    f"postgres://postgres@127.0.0.1:5432/wargame_distributed_{os.getpid()}",
)


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def require_services() -> None:
    missing = [
        name
        for name, port in (("Redis", 6379), ("PostgreSQL", 5432))
        if not reachable("127.0.0.1", port)
    ]
    if not missing:
        return
    reason = (
        f"DISTRIBUTED MODE NOT TESTED: {' and '.join(missing)} not reachable on "
        "127.0.0.1 (start them, e.g. `docker compose up -d redis postgres`)"
    )
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.mark.services
def test_a_game_runs_on_celery_workers() -> None:
    require_services()
    env = {
        **os.environ,
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": DATABASE_URL,
        "WARGAME_DISTRIBUTED_INNER": "1",
        "WARGAME_RUNNER_LEASE_S": "3",
        # Runs side by side (a developer's and CI's) share nothing.
        "WARGAME_REDIS_PREFIX": f"wargame-test-{os.getpid()}",
        "WARGAME_CELERY_QUEUE": f"wargame-test-{os.getpid()}",
        "DATABASE_CONN_MAX_AGE_S": "0",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "-x",
            "tests/wargame/distributed/inner",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    print(result.stdout[-20000:], result.stderr[-5000:])
    assert result.returncode == 0, "the distributed suite failed (output above)"
    assert " passed" in result.stdout and "skipped" not in result.stdout
