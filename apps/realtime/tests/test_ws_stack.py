"""The stock-stack pitfalls of ARCHITECTURE.md, against real Redis: idle sockets, handshake bursts, event delivery
without database work, and Redis going away."""

import asyncio
import shutil

import pytest
import redis
from asgiref.sync import sync_to_async
from django.conf import settings

from apps.common.events import project_group
from apps.common.tests.utils import RedisServer
from apps.notifications.models import Notification
from apps.realtime.fanout import channel_name, local_fanout, publish
from apps.realtime.tests.test_ws_events import create_task, team
from apps.realtime.tests.ws import access_token, next_of_type, open_socket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("close_sockets")]


@pytest.mark.redis
@pytest.mark.slow
async def test_idle_socket_survives_a_minute_on_redis():
    assert settings.REDIS_URL  # the process's pub/sub subscription sits idle for a minute
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
    # Every socket left its groups, and the process unsubscribed: nothing stale remains to be delivered to.
    assert local_fanout().members == {}
    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        assert client.pubsub_numsub(channel_name(project_group(project.id))) == [
            (channel_name(project_group(project.id)).encode(), 0)
        ]
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
    for n in range(50):
        event = {"type": "task.updated", "project": project.id, "task": {"id": n}}
        await sync_to_async(publish)(project_group(project.id), event)
    received = [await next_of_type(ws, "task.updated") for _ in range(50)]
    assert [f["task"]["id"] for f in received] == list(range(50))
    assert queries == []
    assert cleanups == []
    await ws.disconnect()


@pytest.fixture
def private_redis(settings, tmp_path):
    """A redis-server of the test's own carries the live events; the test may kill it and start it again."""
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed") if settings.REDIS_URL else pytest.skip("needs redis-server")
    server = RedisServer(tmp_path / "redis.log")
    server.start()
    settings.REDIS_URL = server.url
    settings.REALTIME_REDIS_CHECK_SECONDS = 0.2
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
    await asyncio.sleep(0.5)  # the check has seen this Redis
    private_redis.kill()  # it comes back empty: every group membership is forgotten
    await create_task(actor=owner, project=project, title="meanwhile", assignee=member)
    private_redis.start()
    # Left open, these sockets would hear nothing more; they are closed with 4012 (reconnect) instead.
    assert [await close_code(ws, timeout=10) for ws in sockets] == [4012, 4012, 4012]

    ws = await open_socket(access_token(member))  # what every client does next
    await ws.send_json_to({"type": "resume", "after_seq": 0})
    assert (await next_of_type(ws, "notification"))["notification"]["task"]["title"] == "meanwhile"
    await create_task(actor=owner, project=project, title="after", assignee=member)
    # "meanwhile"'s own task.created may come first: its publish was held back and retried once Redis was back.
    titles = [(await next_of_type(ws, "task.created"))["task"]["title"]]
    if titles[0] != "after":
        titles.append((await next_of_type(ws, "task.created"))["task"]["title"])
    assert titles[-1] == "after" and set(titles) <= {"meanwhile", "after"}
    await ws.disconnect()


@pytest.mark.slow
async def test_sockets_that_survive_a_quick_redis_restart_are_told_to_reconnect(private_redis):
    """Redis comes back at once, without the process's subscriptions: its sockets are told to reconnect."""
    _, member, _, _ = await team()
    sockets = [await open_socket(access_token(member)) for _ in range(3)]
    await asyncio.sleep(0.5)  # the check has seen this Redis
    private_redis.kill()
    private_redis.start()
    assert [await close_code(ws, timeout=10) for ws in sockets] == [4012, 4012, 4012]
