"""A real server for the browser tests: daphne on a free port, its own database."""

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class DemoServer:
    """The address of a running server and what `manage.py demo` printed."""

    url: str
    game_id: int
    join_codes: dict[str, str]
    login: tuple[str, str]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not listen on port {port} within 30 s")


def _parse_demo(output: str, url: str) -> DemoServer:
    game = re.search(r"\(id (\d+),", output)
    login = re.search(r"login: (\S+) / (\S+)", output)
    codes = dict(re.findall(r"team (\w+): join code (\S+)", output))
    assert game and login and codes, "cannot read manage.py demo's output:\n" + output
    return DemoServer(url, int(game.group(1)), codes, (login.group(1), login.group(2)))


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not CHROMIUM.exists():
        reason = "Debian's chromium is not installed at /usr/bin/chromium"
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI must install it: see .ci/run)")
        pytest.skip("SKIPPED BROWSER TESTS: " + reason)
    if not (ROOT / "frontend" / "dist" / "index.html").exists():
        pytest.fail("the frontend is not built: run `make test`, which builds it")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def demo_server(
    chromium_path: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoServer]:
    """Serve the embedded mode (SQLite, in-memory layer, inline runners)."""
    port = _free_port()
    database = tmp_path_factory.mktemp("e2e") / "db.sqlite3"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "DATABASE_URL", "WARGAME_RUNNER")
    }
    env.update(
        PORT=str(port), DATABASE_URL=f"sqlite:///{database}", PYTHONUNBUFFERED="1"
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput"], env=env, check=True, cwd=ROOT)
    demo = subprocess.run(
        [*manage, "demo"], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    )
    daphne = Path(sys.executable).parent / "daphne"
    server = subprocess.Popen(
        [str(daphne), "-b", "127.0.0.1", "-p", str(port), "wargame.asgi:application"],
        env=env,
        cwd=ROOT,
    )
    try:
        _wait_for_port(port, server)
        yield _parse_demo(demo.stdout, f"http://127.0.0.1:{port}")
    finally:
        server.terminate()
        server.wait(timeout=10)
