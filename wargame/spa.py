"""Serves the built browser app's index.html for the app's routes."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import ensure_csrf_cookie

NOT_BUILT = """<!doctype html>
<html><head><title>wargame</title></head>
<body><h1>The frontend is not built</h1>
<p>Build it with <code>make run</code> (it runs the frontend build), then reload.</p>
<p>The API is under <a href="/api/scenarios">/api/</a>.</p></body></html>
"""


@ensure_csrf_cookie
def index(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    index_html = settings.FRONTEND_DIST / "index.html"
    if not index_html.exists():
        return HttpResponse(NOT_BUILT, status=503)
    return HttpResponse(
        index_html.read_bytes(), content_type="text/html; charset=utf-8"
    )
