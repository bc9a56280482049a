"""The ASGI application: Django for HTTP, Channels for websockets.

Run it with `daphne wargame.asgi:application` (or `manage.py runserver`).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wargame.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import OriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from wargame.games.launch import LoopRecorder  # noqa: E402
from wargame.games.routing import websocket_urlpatterns  # noqa: E402

application = LoopRecorder(
    ProtocolTypeRouter(
        {
            "http": django_asgi_app,
            "websocket": OriginValidator(
                URLRouter(websocket_urlpatterns), settings.WS_ALLOWED_ORIGINS
            ),
        }
    )
)
