"""Helpers for WebSocket tests: connect to the real ASGI application in-process and speak the frames of API.md."""

import json

from channels.testing import WebsocketCommunicator
from ninja_jwt.tokens import AccessToken

from taskflow.asgi import application


def access_token(user, lifetime=None) -> str:
    token = AccessToken.for_user(user)
    if lifetime is not None:
        token.set_exp(lifetime=lifetime)
    return str(token)


_opened: list[WebsocketCommunicator] = []


def communicator(path: str = "/ws/", headers: list[tuple[bytes, bytes]] | None = None) -> WebsocketCommunicator:
    ws = WebsocketCommunicator(application, path, headers=headers or [])
    _opened.append(ws)
    return ws


async def close_all() -> None:
    """Disconnect every socket a test left open (a failed assertion, say), inside the test's own event loop.

    Left to the loop's teardown instead, a consumer still receiving from the Redis layer was seen to hang it.
    """
    while _opened:
        ws = _opened.pop()
        if ws.future.done():
            continue
        try:
            await ws.disconnect(timeout=5)
        except Exception:
            ws.future.cancel()


async def open_socket(token: str | None = None, **kwargs) -> WebsocketCommunicator:
    """Connect; with a token, authenticate by first frame and consume the `ready` frame."""
    ws = communicator(**kwargs)
    connected, _ = await ws.connect(timeout=10)
    assert connected
    if token is not None:
        await ws.send_json_to({"type": "auth", "token": token})
        ready = await ws.receive_json_from(timeout=10)
        assert ready["type"] == "ready", ready
        ws.ready = ready
    return ws


async def expect_close(ws: WebsocketCommunicator, code: int = 4401, timeout: float = 10) -> list[dict]:
    """Read frames until the server closes; assert the close code; return the frames seen before.

    Then complete the disconnect, as a real client's socket does, so the consumer stops cleanly.
    """
    frames = []
    while True:
        output = await ws.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            assert output.get("code") == code, output
            await ws.disconnect(code=code)
            return frames
        frames.append(json.loads(output["text"]))


async def next_of_type(ws: WebsocketCommunicator, kind: str, timeout: float = 10) -> dict:
    """The next frame of `kind`, skipping others."""
    while True:
        frame = await ws.receive_json_from(timeout=timeout)
        if frame["type"] == kind:
            return frame
