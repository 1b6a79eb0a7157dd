"""A property of the /ws/ protocol, checked with generated frames: whatever a client sends, before or after it
authenticates, the server never fails (1011) and an authenticated socket goes on receiving.

The protocol closes a socket with 4401 when authentication fails or is missing; that is the only close allowed, and
after authentication only an `auth` frame (a failed re-authentication) may cause it.
"""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.accounts.tests.factories import UserFactory
from apps.common.events import user_group
from apps.realtime.fanout import publish
from apps.realtime.tests.ws import access_token, communicator

pytestmark = pytest.mark.django_db(transaction=True)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
frame_types = st.sampled_from(["auth", "ping", "resume", "presence", "notification", "ready", "", "RESUME", "x" * 300])
typed_frames = st.fixed_dictionaries(
    {"type": frame_types},
    optional={
        "token": json_values,
        "after": json_values,
        "after_seq": st.integers(min_value=-(2**70), max_value=2**70) | json_values,
        "project": json_values,
        "editing": json_values,
    },
)
texts = st.one_of(
    typed_frames.map(json.dumps),
    json_values.map(json.dumps),
    st.text(max_size=60),  # mostly not JSON at all
    st.integers(min_value=1, max_value=3000).map(lambda depth: "[" * depth + "]" * depth),
)
frames = st.one_of(texts.map(lambda text: ("text", text)), st.binary(max_size=40).map(lambda data: ("bytes", data)))


async def send(ws, frame) -> None:
    kind, payload = frame  # straight to the application: the communicator's send_to refuses empty frames
    await ws.send_input({"type": "websocket.receive", kind: payload})


async def frames_until(ws, kind: str) -> list[dict] | int:
    """Frames until one of `kind`, or the close code if the server closed the socket first."""
    seen = []
    while True:
        output = await ws.receive_output(timeout=10)
        if output["type"] == "websocket.close":
            await ws.disconnect(code=output.get("code", 1000))
            return output.get("code", 1000)
        frame = json.loads(output["text"])
        seen.append(frame)
        if frame["type"] == kind:
            return seen


def frame_type(frame) -> str | None:
    kind, payload = frame
    try:
        return json.loads(payload).get("type") if kind == "text" else None
    except (ValueError, RecursionError, AttributeError):
        return None


def is_auth(frame) -> bool:
    return frame_type(frame) == "auth"


async def authenticated_socket_survives(user, token, garbage) -> None:
    ws = communicator()
    await ws.connect(timeout=10)
    await ws.send_json_to({"type": "auth", "token": token})
    assert (await ws.receive_json_from(timeout=10))["type"] == "ready"
    for frame in garbage:
        await send(ws, frame)
        await ws.send_json_to({"type": "ping"})
        outcome = await frames_until(ws, "pong")
        if frame_type(frame) == "ping" and not isinstance(outcome, int):
            # A generated ping has its own pong: read up to the test's pong too, so that no pong is left queued to
            # be taken for the next frame's answer (a later refusal would then be pinned on the wrong frame).
            outcome = await frames_until(ws, "pong")
        if isinstance(outcome, int):  # closed: only a failed re-authentication may do that, and only with 4401
            assert outcome == 4401 and is_auth(frame), (frame, outcome)
            return
        assert all(f["type"] in {"error", "pong", "notification"} for f in outcome), outcome
    # Still receiving: an event of the user's group reaches it. Answers to the generated frames (a pong for a
    # generated ping, an error for an unusable frame) may still be queued ahead of the event.
    await sync_to_async(publish)(user_group(user.pk), {"type": "unread_count", "count": 7})
    outcome = await frames_until(ws, "unread_count")
    assert [f for f in outcome if f["type"] not in {"pong", "error"}] == [{"type": "unread_count", "count": 7}]
    await ws.disconnect()


async def unauthenticated_socket_never_fails(garbage) -> None:
    ws = communicator()
    await ws.connect(timeout=10)
    for frame in garbage:
        await send(ws, frame)
    await ws.send_json_to({"type": "ping"})
    outcome = await frames_until(ws, "pong")
    # Anything but an auth frame is refused with 4401 ("authenticate first"); a pong means the garbage was all
    # non-frames (malformed JSON, binary) answered with error frames, and then the ping was refused... or accepted
    # after a successful auth, which garbage cannot produce.
    assert outcome == 4401, outcome


@pytest.fixture
def user():
    return UserFactory()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(garbage=st.lists(frames, min_size=1, max_size=6))
def test_an_authenticated_socket_never_fails_and_keeps_receiving(user, garbage):
    asyncio.run(authenticated_socket_survives(user, access_token(user), garbage))


@settings(max_examples=25, deadline=None)
@given(garbage=st.lists(frames, min_size=1, max_size=4))
def test_frames_before_authentication_never_fail_the_server(garbage):
    asyncio.run(unauthenticated_socket_never_fails(garbage))
