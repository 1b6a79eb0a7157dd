"""What arrives on sockets: task events of one's projects, one's notifications and unread counts, resume."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from apps.accounts.tests.factories import UserFactory
from apps.notifications.models import Notification
from apps.projects import services as project_services
from apps.projects.models import Membership
from apps.projects.tests.factories import MembershipFactory, ProjectFactory
from apps.realtime.tests.ws import access_token, next_of_type, open_socket
from apps.tasks import services as task_services

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("close_sockets")]


@sync_to_async
def team():
    owner = UserFactory()
    member = UserFactory()
    outsider = UserFactory()
    project = ProjectFactory(owner=owner)
    MembershipFactory(project=project, user=member)
    return owner, member, outsider, project


create_task = sync_to_async(task_services.task_create)
update_task = sync_to_async(task_services.task_update)


async def test_member_sees_task_created_updated_deleted():
    owner, member, _, project = await team()
    ws = await open_socket(access_token(member))
    task = await create_task(actor=owner, project=project, title="Live")
    created = await next_of_type(ws, "task.created")
    assert created["project"] == project.id
    assert created["task"]["id"] == task.id
    assert created["task"]["title"] == "Live"
    await update_task(actor=owner, task=task, data={"priority": "high"})
    updated = await next_of_type(ws, "task.updated")
    assert (updated["task"]["priority"], updated["task"]["version"]) == ("high", 2)
    task_id = task.id
    await sync_to_async(task_services.task_delete)(actor=owner, task=task)
    deleted = await next_of_type(ws, "task.deleted")
    assert deleted == {"type": "task.deleted", "project": project.id, "task": {"id": task_id}}
    await ws.disconnect()


async def test_assignment_notifies_the_assignee_with_unread_count():
    owner, member, _, project = await team()
    ws = await open_socket(access_token(member))
    task = await create_task(actor=owner, project=project, title="Review PR", assignee=member)
    frame = await next_of_type(ws, "notification")
    notification = frame["notification"]
    assert notification["kind"] == "task_assigned"
    assert notification["task"] == {"id": task.id, "title": "Review PR", "project": project.id}
    assert notification["actor"] == {"id": owner.id, "username": owner.username}
    assert notification["read_at"] is None
    assert set(notification) == {"id", "seq", "kind", "task", "actor", "message", "created_at", "read_at"}
    assert notification["seq"] == 1
    assert await next_of_type(ws, "unread_count") == {"type": "unread_count", "count": 1}
    await ws.disconnect()


async def test_read_and_read_all_update_unread_count_on_every_tab(make_client):
    owner, member, _, project = await team()
    tab1 = await open_socket(access_token(member))
    tab2 = await open_socket(access_token(member))
    await create_task(actor=owner, project=project, title="a", assignee=member)
    await create_task(actor=owner, project=project, title="b", assignee=member)
    for tab in (tab1, tab2):
        assert (await next_of_type(tab, "unread_count"))["count"] == 1
        assert (await next_of_type(tab, "unread_count"))["count"] == 2
    client = await sync_to_async(make_client)(member)
    first = await sync_to_async(Notification.objects.filter(recipient=member).order_by("id").first)()
    response = await sync_to_async(client.post)(f"/api/notifications/{first.id}/read/")
    assert response.status_code == 200
    for tab in (tab1, tab2):
        assert await next_of_type(tab, "unread_count") == {"type": "unread_count", "count": 1}
    response = await sync_to_async(client.post)("/api/notifications/read-all/")
    assert response.json() == {"updated": 1}
    for tab in (tab1, tab2):
        assert await next_of_type(tab, "unread_count") == {"type": "unread_count", "count": 0}
    await tab1.disconnect()
    await tab2.disconnect()


async def test_non_member_receives_nothing_of_another_project():
    owner, member, outsider, project = await team()
    ws = await open_socket(access_token(outsider))
    task = await create_task(actor=owner, project=project, title="secret", assignee=member)
    await update_task(actor=owner, task=task, data={"status": "done"})
    assert await ws.receive_nothing(timeout=0.5)
    await ws.disconnect()


async def test_removed_member_stops_receiving_within_a_second():
    owner, member, _, project = await team()
    ws = await open_socket(access_token(member))
    membership = await sync_to_async(Membership.objects.get)(project=project, user=member)
    await sync_to_async(project_services.membership_remove)(actor=owner, project=project, membership=membership)
    assert (await next_of_type(ws, "project.removed"))["project"]["id"] == project.id
    await create_task(actor=owner, project=project, title="after removal")
    assert await ws.receive_nothing(timeout=1.0)
    await ws.disconnect()


async def test_added_member_starts_receiving_at_once():
    owner, _, outsider, project = await team()
    ws = await open_socket(access_token(outsider))
    await sync_to_async(project_services.membership_add)(actor=owner, project=project, user=outsider)
    await asyncio.sleep(0.2)
    await create_task(actor=owner, project=project, title="welcome")
    assert (await next_of_type(ws, "task.created"))["task"]["title"] == "welcome"
    await ws.disconnect()


async def test_resume_replays_exactly_the_missed_notifications_in_order():
    owner, member, _, project = await team()
    ws = await open_socket(access_token(member))
    tasks = []
    for n in range(1, 4):
        tasks.append(await create_task(actor=owner, project=project, title=f"n{n}", assignee=member))
    seen = [(await next_of_type(ws, "notification"))["notification"]["id"] for _ in range(3)]
    await ws.disconnect()

    for n in range(4, 7):
        await create_task(actor=owner, project=project, title=f"n{n}", assignee=member)

    ws = await open_socket(access_token(member))
    assert ws.ready["last_notification_id"] > seen[-1]
    await ws.send_json_to({"type": "resume", "after": seen[-1]})
    replayed = [await next_of_type(ws, "notification") for _ in range(3)]
    assert [f["notification"]["task"]["title"] for f in replayed] == ["n4", "n5", "n6"]
    ids = [f["notification"]["id"] for f in replayed]
    assert ids == sorted(ids) and ids[0] > seen[-1]
    assert await ws.receive_nothing(timeout=0.3)
    await ws.disconnect()


async def test_resume_has_no_duplicate_when_live_and_replay_overlap():
    owner, member, _, project = await team()
    ws = await open_socket(access_token(member))
    await create_task(actor=owner, project=project, title="live", assignee=member)
    live = await next_of_type(ws, "notification")
    await ws.send_json_to({"type": "resume", "after": 0})
    await ws.send_json_to({"type": "ping"})
    frames = []
    while (frame := await ws.receive_json_from())["type"] != "pong":
        frames.append(frame)
    assert [f for f in frames if f["type"] == "notification"] == []  # already sent live
    assert live["notification"]["task"]["title"] == "live"
    await ws.disconnect()


async def test_resume_during_a_burst_has_no_gap_and_no_duplicate():
    owner, member, _, project = await team()
    ws = await open_socket(access_token(member))

    async def burst():
        for n in range(15):
            await create_task(actor=owner, project=project, title=f"b{n}", assignee=member)

    producer = asyncio.create_task(burst())
    await asyncio.sleep(0.05)
    await ws.send_json_to({"type": "resume", "after": 0})
    await producer
    received = []
    while len(received) < 15:
        received.append((await next_of_type(ws, "notification", timeout=5))["notification"]["id"])
    leftovers = []
    while not await ws.receive_nothing(timeout=0.5):
        leftovers.append(await ws.receive_json_from())
    assert [f for f in leftovers if f["type"] == "notification"] == []  # no duplicate after the 15
    stored = await sync_to_async(
        lambda: list(Notification.objects.filter(recipient=member).values_list("id", flat=True))
    )()
    assert sorted(received) == sorted(stored)
    assert len(set(received)) == len(received)
    await ws.disconnect()


async def test_event_published_from_a_worker_thread_reaches_the_socket():
    """Embedded mode: actors run in worker threads with no event loop; their events still reach the server's sockets."""
    import threading

    from apps.common.events import dispatch

    _, member, _, project = await team()
    ws = await open_socket(access_token(member))
    event = {"type": "task.updated", "project": project.id, "task": {"id": 42}}
    worker = threading.Thread(target=dispatch, args=(f"project.{project.id}", event))
    worker.start()
    await asyncio.to_thread(worker.join)
    assert (await next_of_type(ws, "task.updated"))["task"]["id"] == 42
    await ws.disconnect()
