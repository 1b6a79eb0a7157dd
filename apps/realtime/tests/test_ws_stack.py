"""The stock-stack pitfalls of ARCHITECTURE.md, against the real Redis layer: idle sockets, handshake bursts,
event handlers without database work, and Redis going away."""

import asyncio
import shutil
import subprocess
import time

import pytest
import redis
from asgiref.sync import sync_to_async
from channels.layers import channel_layers, get_channel_layer
from django.conf import settings

from apps.common.events import project_group
from apps.common.tests.utils import free_port
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
def private_redis(settings):
    """A redis-server of the test's own, which the test may stop and start again on the same port."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed") if settings.REDIS_URL else pytest.skip("needs redis-server")
    port = free_port()
    server = {"process": None}

    def start():
        server["process"] = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=port)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise TimeoutError("private redis-server did not start")

    def stop():
        server["process"].kill()
        server["process"].wait()

    start()
    url = f"redis://127.0.0.1:{port}/0"
    config = dict(settings.CHANNEL_LAYERS["default"]) if settings.REDIS_URL else {}
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                **config.get("CONFIG", {}),
                "hosts": [{"address": url, "socket_connect_timeout": 1, "socket_timeout": 30}],
            },
        }
    }
    channel_layers.backends.clear()
    yield {"start": start, "stop": stop, "url": url}
    if server["process"].poll() is None:
        stop()


@pytest.mark.slow
async def test_redis_down_requests_succeed_and_resume_delivers_after(private_redis, make_client):
    owner, member, _, project = await team()
    client = await sync_to_async(make_client)(owner)
    private_redis["stop"]()

    created = await sync_to_async(client.post)(
        "/api/tasks/", {"project": project.id, "title": "while redis is down", "assignee": member.id}, format="json"
    )
    assert created.status_code == 201
    task_id = created.json()["id"]
    patched = await sync_to_async(client.patch)(f"/api/tasks/{task_id}/", {"status": "in_progress"}, format="json")
    assert patched.status_code == 200
    stored = await sync_to_async(lambda: list(Notification.objects.filter(recipient=member).order_by("id")))()
    assert [n.kind for n in stored] == ["task_assigned", "task_status_changed"]

    private_redis["start"]()
    channel_layers.backends.clear()
    ws = await open_socket(access_token(member))
    await ws.send_json_to({"type": "resume", "after": 0})
    replayed = [await next_of_type(ws, "notification") for _ in range(2)]
    assert [f["notification"]["id"] for f in replayed] == [n.id for n in stored]
    await ws.disconnect()
