"""The facilitator's session: log in, log out, who am I."""

from django.contrib.auth import authenticate, login, logout
from django.views.decorators.csrf import ensure_csrf_cookie
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from wargame.games.serializers import LoginSerializer
from wargame.games.services import ServiceError


@api_view(["POST"])
@permission_classes([AllowAny])
def login_view(request: Request) -> Response:
    # DRF checks CSRF only for logged-in users; a login form needs it too.
    SessionAuthentication().enforce_csrf(request)
    serializer = LoginSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    user = authenticate(
        request._request,
        username=serializer.validated_data["username"],
        password=serializer.validated_data["password"],
    )
    if user is None:
        raise ServiceError("wrong username or password", "password")
    login(request._request, user)
    return Response({"username": user.get_username()})


@api_view(["POST"])
@permission_classes([AllowAny])
def logout_view(request: Request) -> Response:
    logout(request._request)
    return Response(status=status.HTTP_204_NO_CONTENT)


@ensure_csrf_cookie
@api_view(["GET"])
@permission_classes([AllowAny])
def me(request: Request) -> Response:
    # Open to all so that anyone gets the CSRF cookie the login needs.
    if not request.user.is_authenticated:
        raise NotAuthenticated()
    return Response({"username": request.user.get_username()})
