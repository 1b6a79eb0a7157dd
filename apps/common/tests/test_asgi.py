"""HTTP through the project's ASGI application (taskflow.asgi): the middleware chain and the view run in one thread
hop (apps.common.asgi), with every middleware still applied."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import HttpCommunicator
from ninja_jwt.tokens import AccessToken

from apps.accounts.models import User
from apps.projects.models import Membership, Project
from apps.tasks.models import Task
from taskflow.asgi import application, django_asgi_app

pytestmark = pytest.mark.django_db(transaction=True)

HOST = [(b"host", b"127.0.0.1")]


def seed():
    owner = User.objects.create_user(username="asgi-owner", email="asgi@example.com", password="x-Passphrase-42")
    project = Project.objects.create(name="P", owner=owner)
    Membership.objects.create(project=project, user=owner, role="owner")
    task = Task.objects.create(project=project, title="before", created_by=owner)
    return owner, task


async def request(method: str, path: str, body: dict | None = None, headers=()) -> dict:
    raw = json.dumps(body).encode() if body is not None else b""
    extra = [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())] if raw else []
    communicator = HttpCommunicator(application, method, path, body=raw, headers=[*HOST, *extra, *headers])
    return await communicator.get_response(timeout=10)


def test_the_middleware_chain_is_the_sync_one():
    assert not asyncio.iscoroutinefunction(django_asgi_app._middleware_chain)


async def test_a_patch_goes_through_every_middleware_and_the_view():
    owner, task = await sync_to_async(seed)()
    bearer = (b"authorization", f"Bearer {AccessToken.for_user(owner)}".encode())
    response = await request("PATCH", f"/api/tasks/{task.pk}/", {"title": "after"}, [bearer])
    assert response["status"] == 200, response["body"]
    assert json.loads(response["body"])["title"] == "after"
    headers = {key.decode().lower(): value.decode() for key, value in response["headers"]}
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "camera=()" in headers["permissions-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    stored = await sync_to_async(Task.objects.get)(pk=task.pk)
    assert (stored.title, stored.version) == ("after", 2)


async def test_errors_and_unauthenticated_answers_are_unchanged():
    owner, task = await sync_to_async(seed)()
    missing = await request("GET", "/api/tasks/999999/", headers=[(b"authorization", b"Bearer nope")])
    assert missing["status"] == 401
    bearer = (b"authorization", f"Bearer {AccessToken.for_user(owner)}".encode())
    assert (await request("GET", "/api/tasks/999999/", headers=[bearer]))["status"] == 404
    assert (await request("PATCH", f"/api/tasks/{task.pk}/", {"title": ""}, [bearer]))["status"] == 400


async def test_session_writes_still_need_the_csrf_token(client):
    owner, task = await sync_to_async(seed)()
    await sync_to_async(client.force_login)(owner)
    cookie = (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())
    reading = await request("GET", f"/api/tasks/{task.pk}/", headers=[cookie])
    assert reading["status"] == 200
    writing = await request("PATCH", f"/api/tasks/{task.pk}/", {"title": "forged"}, [cookie])
    assert writing["status"] == 403
    assert "CSRF" in json.loads(writing["body"])["detail"]
