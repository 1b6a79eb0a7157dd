"""Several Daphne processes sharing PostgreSQL and Redis behave as one server."""

import asyncio
import json

import httpx
import pytest
import websockets
from asgiref.sync import sync_to_async
from django.conf import settings

from apps.common.tests.utils import DaphneProcess, subprocess_env
from apps.realtime.tests.test_ws_events import team
from apps.realtime.tests.ws import access_token
from apps.tasks.tests.factories import TaskFactory


def database_url() -> str:
    db = settings.DATABASES["default"]
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
async def test_patch_through_one_daphne_reaches_a_socket_on_another(tmp_path):
    owner, member, _, project = await team()
    task = await sync_to_async(TaskFactory)(project=project, assignee=member)
    env = subprocess_env(DATABASE_URL=database_url(), REDIS_URL=settings.REDIS_URL, DEBUG="1")
    first, second = DaphneProcess(env, tmp_path / "a.log"), DaphneProcess(env, tmp_path / "b.log")
    try:
        await asyncio.gather(asyncio.to_thread(first.wait_ready), asyncio.to_thread(second.wait_ready))
        async with websockets.connect(f"ws://127.0.0.1:{second.port}/ws/") as socket:
            await socket.send(json.dumps({"type": "auth", "token": access_token(member)}))
            ready = json.loads(await asyncio.wait_for(socket.recv(), 10))
            assert ready["type"] == "ready"

            async with httpx.AsyncClient(base_url=first.url) as client:
                response = await client.patch(
                    f"/api/tasks/{task.id}/",
                    json={"status": "done", "version": 1},
                    headers={"Authorization": f"Bearer {access_token(owner)}"},
                )
            assert response.status_code == 200, response.text

            frames = []
            while not any(f["type"] == "task.updated" for f in frames):
                frames.append(json.loads(await asyncio.wait_for(socket.recv(), 10)))
            update = next(f for f in frames if f["type"] == "task.updated")
            assert (update["project"], update["task"]["id"], update["task"]["status"]) == (project.id, task.id, "done")
            # The assignee's notification crossed processes too.
            while not any(f["type"] == "notification" for f in frames):
                frames.append(json.loads(await asyncio.wait_for(socket.recv(), 10)))
            notification = next(f for f in frames if f["type"] == "notification")["notification"]
            assert notification["kind"] == "task_status_changed"
    finally:
        first.stop()
        second.stop()
