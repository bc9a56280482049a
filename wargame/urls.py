from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path

from wargame import spa


def api_not_found(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"error": f"no API at {request.path}"}, status=404)


urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("wargame.accounts.urls")),
    path("api/", include("wargame.games.urls")),
    re_path(r"^api/", api_not_found),
    path("", spa.index),
    path("room", spa.index),
    path("facilitator", spa.index),
    path("leaderboard/<int:game_id>", spa.index),
]
