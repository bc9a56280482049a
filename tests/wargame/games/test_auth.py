from typing import Any

from django.contrib.auth.models import User
from rest_framework.test import APIClient


def csrf_token(api: APIClient) -> str:
    response = api.get("/api/auth/me")
    assert response.status_code == 403
    return str(response.cookies["csrftoken"].value)


def test_login_requires_the_csrf_token(api: APIClient, facilitator: User) -> None:
    body = {"username": "facilitator", "password": "correct horse"}
    response = api.post("/api/auth/login", body, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]


def test_it_logs_in_and_out(api: APIClient, facilitator: User) -> None:
    token = csrf_token(api)
    body = {"username": "facilitator", "password": "correct horse"}
    response = api.post("/api/auth/login", body, format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    assert response.json() == {"username": "facilitator"}
    assert api.get("/api/auth/me").json() == {"username": "facilitator"}

    token = api.cookies["csrftoken"].value
    assert api.post("/api/auth/logout", HTTP_X_CSRFTOKEN=token).status_code == 204
    assert api.get("/api/auth/me").status_code == 403


def test_login_rejects_a_wrong_password(api: APIClient, facilitator: User) -> None:
    token = csrf_token(api)
    body = {"username": "facilitator", "password": "nope"}
    response = api.post("/api/auth/login", body, format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 400
    assert response.json()["field"] == "password"


def test_logged_in_posts_need_the_csrf_token(api: APIClient, facilitator: User) -> None:
    api.force_login(facilitator)
    body: dict[str, Any] = {
        "scenario": "celebrity-post",
        "name": "x",
        "teams": ["Blue"],
    }
    response = api.post("/api/games", body, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]
