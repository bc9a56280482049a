"""The distributed suite runs only in the process test_distributed.py starts."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

collect_ignore_glob = (
    [] if os.environ.get("WARGAME_DISTRIBUTED_INNER") else ["test_*.py"]
)

ROOT = Path(__file__).resolve().parents[4]


class Worker:
    """A real `celery -A wargame worker` subprocess on the test database."""

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        database = connection.settings_dict
        env = {
            **os.environ,
            "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**database),
        }
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "wargame",
                "worker",
                "-P",
                "threads",
                "-c",
                "4",
                "-l",
                "info",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"test-{time.monotonic_ns()}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while b" ready." not in self.log_path.read_bytes():
            assert self.process.poll() is None, self.log_path.read_text()
            assert time.monotonic() < deadline, "worker did not start"
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, as when a machine dies."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text()


@pytest.fixture
def worker(transactional_db: Any, tmp_path: Path) -> Iterator[Worker]:
    assert settings.RUNNER_MODE == "celery", "REDIS_URL must be set for this suite"
    from wargame.celery import app

    app.control.purge()
    worker = Worker(tmp_path / "worker.log")
    worker.start()
    yield worker
    worker.kill()
    print(worker.log()[-5000:])
