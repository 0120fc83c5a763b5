"""The one server process: daphne serves HTTP (pages, API, static files through WhiteNoise) and websockets."""

import os
import sys

from core.asgi import gc_freezing_start, get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from accounts.websocket import SessionAuthOnlyWithCookie  # noqa: E402 - needs the app registry loaded above
from competitions.stream_runner import start_if_wanted  # noqa: E402
from config.routing import websocket_urlpatterns  # noqa: E402

start_if_wanted()  # the live stream's sequencer, in daphne processes only

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # the session and its user only for a handshake that carries the session cookie (accounts.websocket)
        "websocket": AllowedHostsOriginValidator(SessionAuthOnlyWithCookie(URLRouter(websocket_urlpatterns))),
    }
)

if sys.argv and os.path.basename(sys.argv[0]).startswith("daphne"):  # a server, not a test importing the app
    # The long-lived objects leave the collector's generations now and after the first requests (core.asgi).
    gc_freezing_start()
