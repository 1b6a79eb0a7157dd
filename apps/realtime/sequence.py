"""Which of a user's notifications one socket has sent, by `seq`, in a few integers.

A socket becomes ready at the user's `last_seq` L. Notifications up to L are history: they are never forwarded live
(their frames may still be in flight when the socket joins), only replayed by `resume`. Above L, what was sent is a
floor plus a small set: seqs are contiguous per user, so the floor climbs over every run without a hole and the set
holds only what arrived ahead of a gap (a lost or reordered frame) until the gap is filled.
"""

# A client that never resumes would let the set grow behind a hole that is never filled: past this, the floor jumps.
MAX_AHEAD = 1_000


class SentSeqs:
    __slots__ = ("ahead", "floor", "history_from", "ready_at")

    def __init__(self, ready_at: int) -> None:
        self.ready_at = ready_at  # L: the user's last_seq when the socket became ready
        self.history_from = ready_at  # history (history_from, L] has been replayed on this socket
        self.floor = ready_at  # every seq in (L, floor] has been sent
        self.ahead: set[int] = set()  # seqs above floor + 1 that have been sent

    def was_sent(self, seq: int) -> bool:
        if seq <= self.ready_at:
            return seq > self.history_from
        return seq <= self.floor or seq in self.ahead

    def forward_live(self, seq: int) -> bool:
        """True when a live frame should go out now (and records it); False for history or a duplicate."""
        if seq <= self.ready_at or self.was_sent(seq):
            return False
        self._add(seq)
        return True

    def replay(self, seq: int) -> bool:
        """True when a replayed frame should go out now (and records it); False when it was already sent."""
        if self.was_sent(seq):
            return False
        if seq > self.ready_at:
            self._add(seq)
        return True

    def replayed_history_after(self, after_seq: int) -> None:
        """A resume from `after_seq` replayed everything up to L: that part of history is sent."""
        self.history_from = min(self.history_from, after_seq)

    def _add(self, seq: int) -> None:
        self.ahead.add(seq)
        if len(self.ahead) > MAX_AHEAD:
            self.floor = min(self.ahead) - 1  # give up on the oldest hole: this client does not resume
        while self.floor + 1 in self.ahead:
            self.floor += 1
            self.ahead.remove(self.floor)
