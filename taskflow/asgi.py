"""One ASGI application for HTTP (Django) and WebSockets (Channels), served by Daphne."""

import os

import django

from apps.common.asgi import SyncChainASGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskflow.settings")

# Django must be set up before anything imports models (consumers, routing). As get_asgi_application(), with the
# handler that runs the middleware chain and the view in one thread hop (apps.common.asgi).
django.setup(set_prefix=False)
django_asgi_app = SyncChainASGIHandler()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from apps.assist.warm import warm_in_background  # noqa: E402
from apps.common.embedded_worker import start_embedded_worker  # noqa: E402
from taskflow.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # The session cookie authenticates browsers; API clients send a JWT in their first frame instead. The consumer
        # checks the Origin of cookie connections itself, since token connections may come from anywhere.
        "websocket": AuthMiddlewareStack(URLRouter(websocket_urlpatterns)),
    }
)

start_embedded_worker()
# The priority model loads in the background now (ASSIST_WARM_ON_START), not during the first request.
warm_in_background()
