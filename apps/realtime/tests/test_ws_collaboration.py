"""Comment frames, membership frames (project.added / project.removed) and presence over /ws/, in either mode."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from apps.accounts.tests.factories import UserFactory
from apps.collaboration import services as collaboration
from apps.projects import services as project_services
from apps.projects.models import Membership
from apps.projects.tests.factories import MembershipFactory, ProjectFactory
from apps.realtime.tests.ws import access_token, next_of_type, open_socket
from apps.tasks import services as task_services

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("close_sockets")]


@sync_to_async
def team():
    owner = UserFactory(username="olivia")
    member = UserFactory(username="bob")
    outsider = UserFactory(username="xavier")
    project = ProjectFactory(owner=owner)
    MembershipFactory(project=project, user=member)
    return owner, member, outsider, project


def who(*users):
    return [{"id": user.id, "username": user.username} for user in users]


async def test_comment_frames_reach_members_only():
    owner, member, outsider, project = await team()
    task = await sync_to_async(task_services.task_create)(actor=owner, project=project, title="Discuss")
    ws = await open_socket(access_token(member))
    stranger = await open_socket(access_token(outsider))
    comment = await sync_to_async(collaboration.comment_create)(actor=owner, task=task, body="hello @bob")
    frames = {}
    while "comment.created" not in frames or "notification" not in frames:
        frame = await ws.receive_json_from(timeout=10)
        frames.setdefault(frame["type"], frame)
    created = frames["comment.created"]
    assert (created["project"], created["task"], created["comment"]["id"]) == (project.id, task.id, comment.id)
    assert created["comment"]["mentions"] == who(member)
    assert frames["notification"]["notification"]["kind"] == "mentioned"
    await sync_to_async(collaboration.comment_update)(actor=owner, comment=comment, body="hello all")
    assert (await next_of_type(ws, "comment.updated"))["comment"]["body"] == "hello all"
    await sync_to_async(collaboration.comment_delete)(actor=owner, comment=comment)
    assert (await next_of_type(ws, "comment.deleted"))["comment"]["id"] == comment.id
    assert await stranger.receive_nothing(timeout=0.3)


async def test_membership_frames_and_groups_follow_at_once():
    owner, _, outsider, project = await team()
    ws = await open_socket(access_token(outsider))
    await sync_to_async(project_services.membership_add)(actor=owner, project=project, user=outsider)
    added = await next_of_type(ws, "project.added")
    assert added["project"]["id"] == project.id
    assert added["project"]["name"] == project.name
    assert added["project"]["role"] == "member"
    task = await sync_to_async(task_services.task_create)(actor=owner, project=project, title="welcome")
    assert (await next_of_type(ws, "task.created"))["task"]["id"] == task.id
    membership = await sync_to_async(Membership.objects.get)(project=project, user=outsider)
    await sync_to_async(project_services.membership_remove)(actor=owner, project=project, membership=membership)
    removed = await next_of_type(ws, "project.removed")
    assert removed["project"]["id"] == project.id
    await sync_to_async(task_services.task_create)(actor=owner, project=project, title="after")
    assert await ws.receive_nothing(timeout=0.5)


async def test_deleting_a_project_tells_every_member():
    owner, member, _, project = await team()
    ws = await open_socket(access_token(member))
    await sync_to_async(project_services.project_delete)(actor=owner, project=project)
    assert (await next_of_type(ws, "project.removed"))["project"]["id"] == project.id


async def presence_until(ws, predicate, *, heartbeat=None, timeout=10.0):
    """Presence frames until one satisfies `predicate`; with `heartbeat` (a frame), re-announce while waiting."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if heartbeat is not None:
            await ws.send_json_to(heartbeat)
        if await ws.receive_nothing(timeout=0.3):  # (a timed-out receive would cancel the application)
            continue
        frame = await ws.receive_json_from(timeout=5)
        if frame["type"] == "presence" and predicate(frame):
            return frame
    raise AssertionError("no such presence frame")


async def test_presence_appears_edits_and_leaves_when_the_socket_closes():
    owner, member, _, project = await team()
    alice = await open_socket(access_token(owner))
    bob = await open_socket(access_token(member))
    await alice.send_json_to({"type": "presence", "project": project.id, "editing": None})
    first = await next_of_type(alice, "presence")
    assert first == {"type": "presence", "project": project.id, "users": who(owner), "editing": {}}
    await bob.send_json_to({"type": "presence", "project": project.id, "editing": 42})
    both = {"type": "presence", "project": project.id, "users": who(member, owner), "editing": {"42": who(member)}}
    assert await presence_until(alice, lambda frame: len(frame["users"]) == 2) == both
    assert await presence_until(bob, lambda frame: len(frame["users"]) == 2) == both
    # A heartbeat that changes nothing sends nothing.
    await bob.send_json_to({"type": "presence", "project": project.id, "editing": 42})
    assert await alice.receive_nothing(timeout=0.3)
    await bob.disconnect()
    gone = await next_of_type(alice, "presence")
    assert gone["users"] == who(owner)
    assert gone["editing"] == {}


async def test_a_second_tab_of_the_same_user_is_told_the_current_presence():
    owner, _, _, project = await team()
    tab1 = await open_socket(access_token(owner))
    tab2 = await open_socket(access_token(owner))
    for tab in (tab1, tab2):
        await tab.send_json_to({"type": "presence", "project": project.id, "editing": None})
    assert (await next_of_type(tab1, "presence"))["users"] == who(owner)
    assert (await next_of_type(tab2, "presence"))["users"] == who(owner)


async def test_a_silent_tab_expires_after_the_ttl(settings):
    settings.PRESENCE_TTL_SECONDS = 1.0
    settings.PRESENCE_SWEEP_SECONDS = 0.2
    owner, member, _, project = await team()
    alice = await open_socket(access_token(owner))
    bob = await open_socket(access_token(member))
    hello = {"type": "presence", "project": project.id, "editing": None}
    await bob.send_json_to(hello)  # then silent, like a crashed tab whose socket has not closed yet
    await presence_until(alice, lambda frame: frame["users"] == who(member, owner), heartbeat=hello)
    frame = await presence_until(alice, lambda frame: frame["users"] == who(owner), heartbeat=hello)
    assert frame["editing"] == {}


async def test_presence_only_for_members_and_well_formed():
    owner, _, outsider, project = await team()
    ws = await open_socket(access_token(outsider))
    member_ws = await open_socket(access_token(owner))
    await member_ws.send_json_to({"type": "presence", "project": project.id, "editing": None})
    await next_of_type(member_ws, "presence")
    for frame in (
        {"type": "presence", "project": project.id, "editing": None},
        {"type": "presence", "project": 10**30, "editing": None},
        {"type": "presence", "project": "1", "editing": None},
        {"type": "presence", "project": project.id, "editing": "x"},
        {"type": "presence", "project": True, "editing": None},
    ):
        await ws.send_json_to(frame)
        assert (await ws.receive_json_from(timeout=5))["type"] == "error"
    assert await member_ws.receive_nothing(timeout=0.3)  # the outsider never appeared


async def test_removed_member_leaves_presence_at_once():
    owner, member, _, project = await team()
    alice = await open_socket(access_token(owner))
    bob = await open_socket(access_token(member))
    for ws in (alice, bob):
        await ws.send_json_to({"type": "presence", "project": project.id, "editing": None})
    await presence_until(alice, lambda frame: len(frame["users"]) == 2)
    membership = await sync_to_async(Membership.objects.get)(project=project, user=member)
    await sync_to_async(project_services.membership_remove)(actor=owner, project=project, membership=membership)
    assert (await presence_until(alice, lambda frame: len(frame["users"]) == 1))["users"] == who(owner)


async def test_presence_heartbeats_touch_no_database(monkeypatch):
    """A heartbeat is Redis (or memory) only: no SQL at all, so not a write, whatever the mode."""
    from django.db.backends import utils

    owner, _, _, project = await team()
    alice = await open_socket(access_token(owner))
    statements: list[str] = []
    for name in ("execute", "executemany"):
        original = getattr(utils.CursorWrapper, name)

        def counting(self, sql, *args, _original=original, **kwargs):
            statements.append(sql)
            return _original(self, sql, *args, **kwargs)

        monkeypatch.setattr(utils.CursorWrapper, name, counting)
    # Each heartbeat changes what Alice edits, so each is answered with a frame: all of them were handled.
    for editing in (None, 1, 2, None, 3, None):
        await alice.send_json_to({"type": "presence", "project": project.id, "editing": editing})
        frame = await next_of_type(alice, "presence")
        assert frame["editing"] == ({} if editing is None else {str(editing): who(owner)})
    assert statements == []
