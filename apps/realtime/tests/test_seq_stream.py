"""A gap-free notification stream per user: `seq` in every frame, `last_seq` in `ready` and `pong`, and `resume` with
`after_seq` that sends exactly what is missing, oldest first, however the live copy was lost."""

import pytest
from asgiref.sync import sync_to_async

from apps.common import events as events_module
from apps.notifications.models import Notification
from apps.realtime.tests.test_ws_events import create_task, team
from apps.realtime.tests.ws import access_token, next_of_type, open_socket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("close_sockets")]


@pytest.fixture
def lose_notifications(monkeypatch):
    """Drop the live copy of the notifications whose seq is in the returned set, as a cancelled layer receive does."""
    lost: set[int] = set()
    real_dispatch = events_module.dispatch

    def lossy(group, event):
        if event["type"] == "notification" and event["notification"]["seq"] in lost:
            return
        real_dispatch(group, event)

    monkeypatch.setattr(events_module, "dispatch", lossy)
    return lost


async def notifications_until_pong(ws) -> tuple[list[int], dict]:
    """Send a ping; the seqs of the notification frames that arrive before the pong, and the pong."""
    await ws.send_json_to({"type": "ping"})
    seqs = []
    while (frame := await ws.receive_json_from(timeout=10))["type"] != "pong":
        if frame["type"] == "notification":
            seqs.append(frame["notification"]["seq"])
    return seqs, frame


async def test_a_lost_frame_shows_as_a_jump_and_resume_after_seq_sends_exactly_it(lose_notifications):
    owner, member, _, project = await team()
    ws = await open_socket(access_token(member))
    lose_notifications.add(2)
    for n in range(1, 4):
        await create_task(actor=owner, project=project, title=f"t{n}", assignee=member)
    first = (await next_of_type(ws, "notification"))["notification"]
    after_the_gap = (await next_of_type(ws, "notification"))["notification"]
    assert (first["seq"], after_the_gap["seq"]) == (1, 3)  # the client sees the jump from 1 to 3

    await ws.send_json_to({"type": "resume", "after_seq": 1})
    replayed, pong = await notifications_until_pong(ws)
    assert replayed == [2]  # exactly the missing one: 3 was already sent on this socket
    assert pong == {"type": "pong", "last_seq": 3}
    await ws.disconnect()


async def test_a_lost_tail_shows_in_pong_last_seq(lose_notifications):
    owner, member, _, project = await team()
    ws = await open_socket(access_token(member))
    lose_notifications.add(2)
    await create_task(actor=owner, project=project, title="seen", assignee=member)
    assert (await next_of_type(ws, "notification"))["notification"]["seq"] == 1
    await create_task(actor=owner, project=project, title="lost", assignee=member)

    live, pong = await notifications_until_pong(ws)
    assert live == [] and pong["last_seq"] == 2  # nothing arrived, yet the user has a 2: resume
    await ws.send_json_to({"type": "resume", "after_seq": 1})
    frame = await next_of_type(ws, "notification")
    assert (frame["notification"]["seq"], frame["notification"]["task"]["title"]) == (2, "lost")
    await ws.disconnect()


async def test_ready_carries_last_seq_and_resume_after_seq_replays_history_once():
    owner, member, _, project = await team()
    for n in range(1, 5):
        await create_task(actor=owner, project=project, title=f"old{n}", assignee=member)
    ws = await open_socket(access_token(member))
    assert ws.ready["last_seq"] == 4
    await create_task(actor=owner, project=project, title="new", assignee=member)
    assert (await next_of_type(ws, "notification"))["notification"]["seq"] == 5

    await ws.send_json_to({"type": "resume", "after_seq": 2})
    replayed, _ = await notifications_until_pong(ws)
    assert replayed == [3, 4]  # oldest first; 5 was sent live
    await ws.send_json_to({"type": "resume", "after_seq": 0})
    replayed, _ = await notifications_until_pong(ws)
    assert replayed == [1, 2]  # only what this socket has not sent yet
    await ws.send_json_to({"type": "resume", "after_seq": 0})
    assert (await notifications_until_pong(ws))[0] == []
    await ws.disconnect()


async def test_history_frames_arriving_after_ready_are_not_forwarded_live(monkeypatch):
    """A notification committed before `ready` is history (resume sends it), even if its frame arrives later."""
    owner, member, _, project = await team()
    held: list[tuple[str, dict]] = []
    real_dispatch = events_module.dispatch
    monkeypatch.setattr(events_module, "dispatch", lambda group, event: held.append((group, event)))
    await create_task(actor=owner, project=project, title="in flight", assignee=member)
    ws = await open_socket(access_token(member))
    assert ws.ready["last_seq"] == 1
    monkeypatch.setattr(events_module, "dispatch", real_dispatch)
    for group, event in held:  # the delayed frames land now
        await sync_to_async(real_dispatch)(group, event)
    assert (await notifications_until_pong(ws))[0] == []
    await ws.send_json_to({"type": "resume", "after_seq": 0})
    assert (await notifications_until_pong(ws))[0] == [1]
    await ws.disconnect()


async def test_seq_numbers_each_users_notifications_without_holes():
    owner, member, _, project = await team()
    for n in range(3):
        await create_task(actor=owner, project=project, title=f"m{n}", assignee=member)
        await create_task(actor=member, project=project, title=f"o{n}", assignee=owner)

    def seqs(user):
        return list(Notification.objects.filter(recipient=user).order_by("id").values_list("seq", flat=True))

    assert await sync_to_async(seqs)(member) == [1, 2, 3]
    assert await sync_to_async(seqs)(owner) == [1, 2, 3]


async def test_replayed_notifications_say_so_and_live_ones_do_not():
    owner, member, _, project = await team()
    await create_task(actor=owner, project=project, title="before", assignee=member)
    ws = await open_socket(access_token(member))
    await create_task(actor=owner, project=project, title="live", assignee=member)
    live = await next_of_type(ws, "notification")
    await ws.send_json_to({"type": "resume", "after_seq": 0})
    replayed = await next_of_type(ws, "notification")
    assert (live["notification"]["seq"], "replay" in live) == (2, False)
    assert (replayed["notification"]["seq"], replayed["replay"]) == (1, True)
    await ws.disconnect()
