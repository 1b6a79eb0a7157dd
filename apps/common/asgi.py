"""Django's ASGI handler with the middleware chain and the view run in one thread hop per request.

Django's ASGIHandler builds the middleware chain for async, and adapts each middleware that cannot run async with a
thread hop (`sync_to_async` / `async_to_sync`, each a future, a wake-up of the event loop and a context copy). With
TaskFlow's middleware (WhiteNoise and our security middleware are sync only, Django's own are both) a request went
loop -> thread (security, CSP, WhiteNoise) -> loop (session, common, CSRF, auth, messages, clickjacking, each of their
`process_request`/`process_response` again in the thread, one hop each) -> thread (the view): about 14 hops for a PATCH,
7% of its CPU in the profile plus the executors' share (BENCHMARKS.md, "What the PATCH and handshake profiles say").

Every view of the project is sync, so here the whole chain is the sync one (as under WSGI) and runs in a single
`sync_to_async(thread_sensitive=True)` call: the same thread as before (the request's thread-sensitive executor), the
same middleware order and behaviour, one hop. Reading the body, the request signals and sending the response stay
Django's. An async view would still work: the sync chain runs it with `async_to_sync`.
"""

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler


class SyncChainASGIHandler(ASGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)

    async def get_response_async(self, request):
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)
