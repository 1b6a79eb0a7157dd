"""SentSeqs: what one socket has sent, in a few integers, so neither live frames nor resume send anything twice."""

from apps.realtime.sequence import MAX_AHEAD, SentSeqs


def test_history_is_never_forwarded_live_only_replayed_once():
    sent = SentSeqs(ready_at=5)
    assert not sent.forward_live(5)  # committed before ready: its frame may still be in flight, resume sends it
    assert [seq for seq in range(3, 8) if sent.replay(seq)] == [3, 4, 5, 6, 7]
    sent.replayed_history_after(2)
    assert [seq for seq in range(1, 8) if sent.replay(seq)] == [1, 2]  # a wider resume sends only the rest
    sent.replayed_history_after(0)
    assert not any(sent.replay(seq) for seq in range(1, 8))
    assert not sent.forward_live(6)  # already replayed


def test_live_frames_in_order_keep_the_state_small():
    sent = SentSeqs(ready_at=0)
    assert all(sent.forward_live(seq) for seq in range(1, 10_001))
    assert (sent.floor, sent.ahead) == (10_000, set())
    assert not sent.forward_live(10_000)


def test_a_hole_is_held_until_resume_fills_it():
    sent = SentSeqs(ready_at=10)
    assert sent.forward_live(11)
    assert sent.forward_live(13)  # 12 was lost on the way
    assert (sent.floor, sent.ahead) == (11, {13})
    assert [seq for seq in (12, 13) if sent.replay(seq)] == [12]
    assert (sent.floor, sent.ahead) == (13, set())
    assert not sent.forward_live(12)  # the late live copy is a duplicate now


def test_a_client_that_never_resumes_cannot_grow_the_state_without_bound():
    sent = SentSeqs(ready_at=0)
    sent.forward_live(1)
    for seq in range(3, 3 + MAX_AHEAD + 5):  # 2 never arrives and nobody asks for it
        sent.forward_live(seq)
    assert len(sent.ahead) <= MAX_AHEAD
    assert sent.floor >= 3
