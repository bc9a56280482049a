"""Every API error as JSON {"error": ..., "field": ...} with a 4xx status."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

from wargame.games.services import ServiceError

logger = logging.getLogger(__name__)


def _first_problem(detail: Any, prefix: str = "") -> tuple[str, str | None]:
    """The first message in a DRF error detail, and the field it is about."""
    if isinstance(detail, dict):
        key, value = next(iter(detail.items()))
        field = f"{prefix}.{key}" if prefix else str(key)
        if key == "non_field_errors":
            field = prefix
        message, inner = _first_problem(value, field)
        return message, inner or field or None
    if isinstance(detail, list) and detail:
        for index, item in enumerate(detail):
            if item:
                inner_prefix = (
                    prefix if not isinstance(item, dict) else f"{prefix}.{index}"
                )
                return _first_problem(item, inner_prefix)
    return str(detail), prefix or None


def _body(message: str, field: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"error": message}
    if field:
        body["field"] = field
    return body


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ServiceError):
        return Response(_body(exc.message, exc.field), status=exc.status)
    if isinstance(exc, Http404):
        return Response(_body("not found", None), status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        message, field = _first_problem(exc.detail)
        if field:
            message = f"{field}: {message}"
        return Response(_body(message, field), status=exc.status_code)
    if isinstance(exc, exceptions.ParseError):
        return Response(
            _body("the body is not valid JSON", None), status=exc.status_code
        )
    if isinstance(exc, exceptions.APIException):
        headers: dict[str, str] = {}
        wait_s = getattr(exc, "wait", None)
        if wait_s is not None:
            headers["Retry-After"] = f"{wait_s:.0f}"
        message, _ = _first_problem(exc.detail)
        return Response(_body(message, None), status=exc.status_code, headers=headers)
    return None
