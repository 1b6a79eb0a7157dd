"""Every way in, and every refusal, of /ws/ (API.md, "WebSocket")."""

import asyncio
import datetime
import time

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from ninja_jwt.tokens import AccessToken

from apps.accounts.tests.factories import UserFactory
from apps.realtime.tests.ws import access_token, communicator, expect_close, open_socket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("close_sockets")]


@pytest.fixture
def short_auth_timeout(settings):
    settings.WS_AUTH_TIMEOUT = 0.5


HOST = (b"host", b"localhost:8000")  # as a browser sends it to the server it loaded the page from


async def make_user():
    return await sync_to_async(UserFactory)()


@sync_to_async
def session_cookie(user) -> bytes:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{django_settings.SESSION_COOKIE_NAME}={session.session_key}".encode()


async def test_jwt_first_frame_then_ready():
    user = await make_user()
    ws = await open_socket(access_token(user))
    assert ws.ready == {
        "type": "ready",
        "user": {"id": user.id, "username": user.username},
        "last_notification_id": 0,
        "last_seq": 0,
    }
    await ws.send_json_to({"type": "ping"})
    assert await ws.receive_json_from() == {"type": "pong", "last_seq": 0}
    await ws.disconnect()


async def test_session_cookie_from_allowed_origin():
    user = await make_user()
    cookie = await session_cookie(user)
    ws = communicator(headers=[(b"cookie", cookie), (b"origin", b"http://localhost:8000"), HOST])
    assert (await ws.connect())[0]
    ready = await ws.receive_json_from()
    assert ready["type"] == "ready"
    assert ready["user"]["id"] == user.id
    await ws.disconnect()


async def test_session_cookie_from_foreign_origin_is_refused():
    user = await make_user()
    cookie = await session_cookie(user)
    ws = communicator(headers=[(b"cookie", cookie), (b"origin", b"https://evil.example"), HOST])
    await ws.connect()
    frames = await expect_close(ws)
    assert frames == [{"type": "error", "detail": "Cookie authentication from this Origin is refused."}]


async def test_session_cookie_without_origin_is_refused():
    user = await make_user()
    ws = communicator(headers=[(b"cookie", await session_cookie(user))])
    await ws.connect()
    await expect_close(ws)


async def test_no_authentication_times_out(short_auth_timeout):
    ws = communicator()
    await ws.connect()
    frames = await expect_close(ws)
    assert frames == [{"type": "error", "detail": "No authentication within the allowed time."}]


async def test_auth_frame_too_late_is_refused(short_auth_timeout):
    user = await make_user()
    ws = communicator()
    await ws.connect()
    await asyncio.sleep(1.0)
    await ws.send_json_to({"type": "auth", "token": access_token(user)})  # a valid token, but too late
    frames = await expect_close(ws)
    assert frames == [{"type": "error", "detail": "No authentication within the allowed time."}]  # no "ready"


async def test_an_auth_frame_in_time_is_not_refused_while_the_server_checks_it(short_auth_timeout, monkeypatch):
    # A reconnect storm queues the token checks behind each other. A client that sent its token in time must not be
    # refused because the server took longer than WS_AUTH_TIMEOUT to check it: its retry would only lengthen the queue.
    from apps.realtime import consumers

    check = consumers.user_and_projects_from_access_token

    def slow_check(raw_token):
        time.sleep(1.0)  # twice the allowed time, in the database thread
        return check(raw_token)

    monkeypatch.setattr(consumers, "user_and_projects_from_access_token", slow_check)
    user = await make_user()
    ws = communicator()
    await ws.connect()
    await ws.send_json_to({"type": "auth", "token": access_token(user)})
    frame = await ws.receive_json_from(timeout=5)
    assert frame["type"] == "ready", frame
    await ws.send_json_to({"type": "ping"})
    assert (await ws.receive_json_from(timeout=5))["type"] == "pong"
    await ws.disconnect()


@pytest.mark.parametrize(
    "token",
    [
        "not-a-jwt",
        "",
        None,
    ],
)
async def test_bad_token_is_refused(token):
    ws = communicator()
    await ws.connect()
    await ws.send_json_to({"type": "auth", "token": token})
    frames = await expect_close(ws)
    assert frames[0]["type"] == "error"


async def test_expired_token_is_refused():
    user = await make_user()
    ws = communicator()
    await ws.connect()
    await ws.send_json_to({"type": "auth", "token": access_token(user, lifetime=-datetime.timedelta(seconds=1))})
    frames = await expect_close(ws)
    assert "expired" in frames[0]["detail"]


async def test_refresh_token_is_refused_as_access():
    from ninja_jwt.tokens import RefreshToken

    user = await make_user()
    refresh = await sync_to_async(lambda: str(RefreshToken.for_user(user)))()
    ws = communicator()
    await ws.connect()
    await ws.send_json_to({"type": "auth", "token": refresh})
    await expect_close(ws)


@pytest.mark.parametrize("query", ["token", "access_token", "jwt"])
async def test_token_in_url_is_refused(query):
    user = await make_user()
    ws = communicator(path=f"/ws/?{query}={access_token(user)}")
    await ws.connect()
    frames = await expect_close(ws)
    assert "URL" in frames[0]["detail"]


async def test_other_frames_before_auth_are_refused():
    ws = communicator()
    await ws.connect()
    await ws.send_json_to({"type": "ping"})
    await expect_close(ws)


async def test_malformed_and_unknown_frames_get_error_frames():
    user = await make_user()
    ws = await open_socket(access_token(user))
    await ws.send_to(text_data="{not json")
    assert await ws.receive_json_from() == {"type": "error", "detail": "Malformed JSON."}
    await ws.send_json_to({"type": "dance"})
    assert await ws.receive_json_from() == {"type": "error", "detail": "Unknown frame type: 'dance'."}
    await ws.send_json_to(["no", "type"])
    assert (await ws.receive_json_from())["type"] == "error"
    await ws.send_json_to({"type": "resume", "after": "three"})
    assert (await ws.receive_json_from())["type"] == "error"
    await ws.send_to(bytes_data=b"\x00")
    assert await ws.receive_json_from() == {"type": "error", "detail": "Frames are JSON text."}
    await ws.send_to(text_data="[" * 5000 + "]" * 5000)  # nested deeper than the parser's recursion limit
    assert await ws.receive_json_from() == {"type": "error", "detail": "Malformed JSON."}
    await ws.send_to(text_data='{"type": "ping", "pad": "' + "x" * 20_000 + '"}')
    assert (await ws.receive_json_from())["detail"].startswith("Frame too large")
    # Still usable after all that.
    await ws.send_json_to({"type": "ping"})
    assert await ws.receive_json_from() == {"type": "pong", "last_seq": 0}
    await ws.disconnect()


async def test_token_expiring_on_open_socket_closes_it():
    user = await make_user()
    ws = await open_socket(access_token(user, lifetime=datetime.timedelta(seconds=1.5)))
    frames = await expect_close(ws)
    assert frames == [{"type": "error", "detail": "The access token expired."}]


async def test_fresh_auth_frame_keeps_the_socket_open():
    user = await make_user()
    ws = await open_socket(access_token(user, lifetime=datetime.timedelta(seconds=1.5)))
    await ws.send_json_to({"type": "auth", "token": access_token(user, lifetime=datetime.timedelta(minutes=5))})
    await asyncio.sleep(2.5)
    await ws.send_json_to({"type": "ping"})
    assert await ws.receive_json_from() == {"type": "pong", "last_seq": 0}
    await ws.disconnect()


async def test_auth_frame_for_another_user_is_refused():
    alice, bob = await make_user(), await make_user()
    ws = await open_socket(access_token(alice))
    await ws.send_json_to({"type": "auth", "token": access_token(bob)})
    await expect_close(ws)


async def cookie_socket(user):
    cookie = await session_cookie(user)
    ws = communicator(headers=[(b"cookie", cookie), (b"origin", b"http://localhost:8000"), HOST])
    connected, _ = await ws.connect(timeout=10)
    assert connected
    assert (await ws.receive_json_from(timeout=10))["type"] == "ready"
    return ws, cookie.decode().split("=", 1)[1]


async def test_closing_one_browser_session_closes_only_its_sockets():
    from apps.realtime.services import sockets_close

    user = await make_user()
    (one, one_key), (other, _) = await cookie_socket(user), await cookie_socket(user)
    token_socket = await open_socket(access_token(user))
    await sync_to_async(sockets_close)(user_id=user.id, session_key=one_key)
    assert await expect_close(one) == [{"type": "error", "detail": "Signed out: authenticate again."}]
    for still_open in (other, token_socket):
        await still_open.send_json_to({"type": "ping"})
        assert (await still_open.receive_json_from())["type"] == "pong"


async def test_closing_every_socket_of_a_user_spares_other_users():
    from apps.realtime.services import sockets_close

    user, someone_else = await make_user(), await make_user()
    (cookie_ws, _), token_ws = await cookie_socket(user), await open_socket(access_token(user))
    bystander = await open_socket(access_token(someone_else))
    await sync_to_async(sockets_close)(user_id=user.id)
    for ws in (cookie_ws, token_ws):
        assert await expect_close(ws) == [{"type": "error", "detail": "Signed out: authenticate again."}]
    await bystander.send_json_to({"type": "ping"})
    assert (await bystander.receive_json_from())["type"] == "pong"


@pytest.mark.parametrize(
    "origin",
    [b"http://localhost:9999", b"https://localhost:8000", b"http://[::1]:1234", b"http://localhost", b"null"],
    ids=["other-port", "other-scheme", "other-host-and-port", "no-port", "null"],
)
async def test_cookie_sockets_need_the_exact_origin_of_the_page(origin):
    user = await make_user()
    ws = communicator(headers=[(b"cookie", await session_cookie(user)), (b"origin", origin), HOST])
    connected, _ = await ws.connect(timeout=10)
    assert connected
    frames = await expect_close(ws)
    assert frames == [{"type": "error", "detail": "Cookie authentication from this Origin is refused."}]


async def test_a_trusted_origin_is_accepted_for_cookie_sockets(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://app.example.com"]
    user = await make_user()
    headers = [(b"cookie", await session_cookie(user)), (b"origin", b"https://app.example.com"), HOST]
    ws = communicator(headers=headers)
    await ws.connect(timeout=10)
    assert (await ws.receive_json_from(timeout=10))["type"] == "ready"
    await ws.disconnect()


async def test_a_host_outside_allowed_hosts_is_refused_even_from_its_own_origin(settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    user = await make_user()
    headers = [(b"cookie", await session_cookie(user)), (b"origin", b"http://evil.test"), (b"host", b"evil.test")]
    ws = communicator(headers=headers)
    await ws.connect(timeout=10)
    assert await expect_close(ws) == [{"type": "error", "detail": "Cookie authentication from this Origin is refused."}]


async def test_a_token_with_an_absurd_expiry_is_refused_not_a_crash():
    user = await make_user()
    token = AccessToken.for_user(user)
    token.payload["exp"] = 1e300  # signed with the real key: only its times are absurd
    ws = communicator()
    await ws.connect(timeout=10)
    await ws.send_json_to({"type": "auth", "token": str(token)})
    [frame] = await expect_close(ws)  # 4401 with an error frame, not 1011
    assert frame["type"] == "error" and frame["detail"].startswith("Authentication failed")


async def test_logging_out_of_the_dashboard_closes_that_browsers_sockets():
    from django.test import Client

    user = await make_user()
    browser, other_browser = Client(), Client()
    await sync_to_async(browser.force_login)(user)
    await sync_to_async(other_browser.force_login)(user)

    def open_with(client):
        cookie = f"{django_settings.SESSION_COOKIE_NAME}={client.cookies[django_settings.SESSION_COOKIE_NAME].value}"
        return communicator(headers=[(b"cookie", cookie.encode()), (b"origin", b"http://localhost:8000"), HOST])

    mine, other = open_with(browser), open_with(other_browser)
    for ws in (mine, other):
        await ws.connect(timeout=10)
        assert (await ws.receive_json_from(timeout=10))["type"] == "ready"
    response = await sync_to_async(browser.post)("/logout/")
    assert response.status_code == 302
    assert await expect_close(mine) == [{"type": "error", "detail": "Signed out: authenticate again."}]
    await other.send_json_to({"type": "ping"})
    assert (await other.receive_json_from())["type"] == "pong"  # another browser's session goes on


async def test_access_token_of_a_revoked_family_is_refused():
    """Refresh-token reuse revokes the family (issue 10, item 15): its access tokens no longer open a socket."""
    from apps.accounts import services

    user = await make_user()
    first = await sync_to_async(services.token_pair_issue)(user=user)
    second = await sync_to_async(services.token_refresh)(raw_refresh=first.refresh)
    ws = await open_socket(second.access)  # the family is still good
    await ws.disconnect()
    with pytest.raises(services.TokenError):
        await sync_to_async(services.token_refresh)(raw_refresh=first.refresh)  # reuse
    ws = communicator()
    await ws.connect()
    await ws.send_json_to({"type": "auth", "token": second.access})
    frames = await expect_close(ws)
    assert frames[0]["type"] == "error"
    assert "revoked" in frames[0]["detail"]


async def test_rightly_signed_token_with_absurd_expiry_is_an_error_frame():
    import jwt

    from apps.accounts.tests.test_tokens import JWT, claims

    user = await make_user()
    token = jwt.encode(claims(user, exp=1e300), JWT["SIGNING_KEY"], algorithm="HS256")
    ws = communicator()
    await ws.connect()
    await ws.send_json_to({"type": "auth", "token": token})
    frames = await expect_close(ws)
    assert frames[0]["type"] == "error"
