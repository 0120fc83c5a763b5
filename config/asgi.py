"""The one server process: daphne serves HTTP (pages, API, static files through WhiteNoise) and websockets."""

import os

from core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402 - needs the app registry loaded above
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from competitions.stream_runner import start_if_wanted  # noqa: E402
from config.routing import websocket_urlpatterns  # noqa: E402

start_if_wanted()  # the live stream's sequencer, in daphne processes only

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
