"""The stock-stack pitfalls of ARCHITECTURE.md, against the real Redis layer: idle sockets, handshake bursts,
event handlers without database work, and Redis going away."""

import asyncio
import shutil

import pytest
import redis
from asgiref.sync import sync_to_async
from channels.layers import channel_layers, get_channel_layer
from django.conf import settings
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import ExponentialBackoff

from apps.common.events import project_group
from apps.common.tests.utils import RedisServer
from apps.notifications.models import Notification
from apps.realtime.tests.test_ws_events import create_task, team
from apps.realtime.tests.ws import access_token, next_of_type, open_socket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("close_sockets")]


@pytest.mark.redis
@pytest.mark.slow
async def test_idle_socket_survives_a_minute_on_the_redis_layer():
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    owner, member, _, project = await team()
    ws = await open_socket(access_token(member))
    await asyncio.sleep(61)
    await create_task(actor=owner, project=project, title="after a quiet minute")
    assert (await next_of_type(ws, "task.created", timeout=5))["task"]["title"] == "after a quiet minute"
    await ws.disconnect()


@pytest.mark.redis
async def test_burst_of_200_handshakes_all_join_and_receive():
    owner, member, _, project = await team()
    token = access_token(member)
    sockets = await asyncio.gather(*(open_socket(token) for _ in range(200)))
    assert all(ws.ready["type"] == "ready" for ws in sockets)
    await create_task(actor=owner, project=project, title="fan-out")
    frames = await asyncio.gather(*(next_of_type(ws, "task.created", timeout=20) for ws in sockets))
    assert {f["task"]["title"] for f in frames} == {"fan-out"}
    await asyncio.gather(*(ws.disconnect() for ws in sockets))
    # Every socket left its groups: nothing stale remains to be delivered to.
    layer = get_channel_layer()
    if hasattr(layer, "_group_key"):
        client = redis.Redis.from_url(settings.REDIS_URL)
        try:
            assert client.zcard(layer._group_key(project_group(project.id))) == 0
        finally:
            client.close()


async def test_event_handlers_do_no_database_work(monkeypatch):
    _, member, _, project = await team()
    ws = await open_socket(access_token(member))

    queries, cleanups = [], []
    from django.db.backends import utils

    real_execute = utils.CursorWrapper.execute
    monkeypatch.setattr(
        utils.CursorWrapper,
        "execute",
        lambda self, sql, params=None: (queries.append(sql), real_execute(self, sql, params))[1],
    )
    import channels.consumer

    real_cleanup = channels.consumer.aclose_old_connections

    async def counting_cleanup():
        cleanups.append(1)
        await real_cleanup()

    monkeypatch.setattr(channels.consumer, "aclose_old_connections", counting_cleanup)
    layer = get_channel_layer()
    for n in range(50):
        event = {"type": "task.updated", "project": project.id, "task": {"id": n}}
        await layer.group_send(project_group(project.id), {"type": "task.updated", "event": event})
    received = [await next_of_type(ws, "task.updated") for _ in range(50)]
    assert [f["task"]["id"] for f in received] == list(range(50))
    assert queries == []
    assert cleanups == []
    await ws.disconnect()


@pytest.fixture
def private_redis(settings, tmp_path):
    """A redis-server of the test's own as the channel layer, which the test may kill and start again."""
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed") if settings.REDIS_URL else pytest.skip("needs redis-server")
    server = RedisServer(tmp_path / "redis.log")
    server.start()
    config = dict(settings.CHANNEL_LAYERS["default"]) if settings.REDIS_URL else {}
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                **config.get("CONFIG", {}),
                "hosts": [
                    {
                        "address": server.url,
                        "socket_connect_timeout": 1,
                        "socket_timeout": 30,
                        "retry": AsyncRetry(ExponentialBackoff(cap=1.0, base=0.1), 3),
                        "retry_on_error": [redis.ConnectionError],
                    }
                ],
            },
        }
    }
    settings.REALTIME_REDIS_CHECK_SECONDS = 0.2
    channel_layers.backends.clear()
    yield server
    server.kill()


@pytest.mark.slow
async def test_redis_down_requests_succeed_and_resume_delivers_after(private_redis, make_client):
    owner, member, _, project = await team()
    client = await sync_to_async(make_client)(owner)
    private_redis.kill()

    created = await sync_to_async(client.post)(
        "/api/tasks/", {"project": project.id, "title": "while redis is down", "assignee": member.id}, format="json"
    )
    assert created.status_code == 201
    task_id = created.json()["id"]
    patched = await sync_to_async(client.patch)(f"/api/tasks/{task_id}/", {"status": "in_progress"}, format="json")
    assert patched.status_code == 200
    stored = await sync_to_async(lambda: list(Notification.objects.filter(recipient=member).order_by("id")))()
    assert [n.kind for n in stored] == ["task_assigned", "task_status_changed"]

    private_redis.start()
    channel_layers.backends.clear()
    ws = await open_socket(access_token(member))
    await ws.send_json_to({"type": "resume", "after": 0})
    replayed = [await next_of_type(ws, "notification") for _ in range(2)]
    assert [f["notification"]["id"] for f in replayed] == [n.id for n in stored]
    await ws.disconnect()


async def close_code(ws, timeout: float) -> int:
    """Read frames until the server closes the socket; its close code."""
    while True:
        output = await ws.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            await ws.disconnect(code=output.get("code", 1000))
            return output.get("code", 1000)


@pytest.mark.slow
async def test_a_redis_restart_makes_every_socket_reconnect_and_catch_up(private_redis):
    owner, member, _, project = await team()
    sockets = [await open_socket(access_token(member)) for _ in range(3)]
    await asyncio.sleep(0.5)  # the watchdog has seen this Redis
    private_redis.kill()  # it comes back empty: every group membership is forgotten
    await create_task(actor=owner, project=project, title="meanwhile", assignee=member)
    private_redis.start()
    # Left open, these sockets would hear nothing more; they are closed with 4012 (reconnect) instead.
    assert [await close_code(ws, timeout=10) for ws in sockets] == [4012, 4012, 4012]

    ws = await open_socket(access_token(member))  # what every client does next
    await ws.send_json_to({"type": "resume", "after_seq": 0})
    assert (await next_of_type(ws, "notification"))["notification"]["task"]["title"] == "meanwhile"
    await create_task(actor=owner, project=project, title="after", assignee=member)
    assert (await next_of_type(ws, "task.created"))["task"]["title"] == "after"
    await ws.disconnect()


@pytest.mark.slow
async def test_sockets_that_survive_a_quick_redis_restart_are_told_to_reconnect(private_redis):
    """Their layer connection retries and reconnects, but Redis forgot their groups: the watchdog closes them."""
    _, member, _, _ = await team()
    sockets = [await open_socket(access_token(member)) for _ in range(3)]
    await asyncio.sleep(0.5)  # the watchdog has seen this Redis
    private_redis.kill()
    private_redis.start()
    assert [await close_code(ws, timeout=10) for ws in sockets] == [4012, 4012, 4012]


@pytest.mark.slow
async def test_group_memberships_are_renewed_before_the_layer_expires_them(private_redis, settings):
    settings.CHANNEL_LAYERS["default"]["CONFIG"]["group_expiry"] = 2
    channel_layers.backends.clear()
    owner, member, _, project = await team()
    ws = await open_socket(access_token(member))
    await asyncio.sleep(3.5)  # longer than group_expiry: without renewal the socket has left its groups
    await create_task(actor=owner, project=project, title="still heard")
    assert (await next_of_type(ws, "task.created"))["task"]["title"] == "still heard"
    await ws.disconnect()
