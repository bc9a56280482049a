from pathlib import Path
from typing import Any

import pytest
from django.test import Client


@pytest.mark.parametrize("path", ["/", "/room", "/facilitator", "/leaderboard/3"])
def test_the_app_routes_serve_the_built_index(
    client: Client, settings: Any, tmp_path: Path, path: str
) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>wargame app</title>")
    settings.FRONTEND_DIST = tmp_path
    response = client.get(path)
    assert response.status_code == 200
    assert b"wargame app" in response.content
    assert "csrftoken" in response.cookies


def test_an_unbuilt_frontend_says_how_to_build_it(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    settings.FRONTEND_DIST = tmp_path
    response = client.get("/")
    assert response.status_code == 503
    assert b"make run" in response.content
