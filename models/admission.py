"""Training admission for one server process: at most `capacity` runs train at once, the rest queue.

A classroom opens one NN Lab server for many students. Every session's run
trains on a thread of the same process, and past a few runs they only slow
each other down (and the GIL lets one process run Python on one core at a
time anyway). So a run asks for a slot before its first slice and gives it
back when it stops for any reason; runs that find no free slot wait in one
FIFO queue, and the oldest waiter gets the next free slot, so nobody starves.

A run that holds a slot while others wait gives it up after `turn_seconds`
and goes to the back of the queue (`take_turn`): a 3000-epoch run can not
keep the class waiting for minutes.

Pure Python and thread-safe (one Condition guards everything); the UI and
the liveness rules (a closed tab leaves the queue) live in ui/live_run.py.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections import deque

# Environment override for the number of slots (a bench comparing capacities, a big server).
SLOTS_ENV = "NNLAB_TRAINING_SLOTS"
# A run holding a slot while others wait trains this long, then queues again at the back.
TURN_SECONDS = 15.0
# Environment override for the turn, in seconds (a teacher's choice; bench/queued_tabs.py
# lengthens it to read one steady state).
TURN_ENV = "NNLAB_TURN_SECONDS"


def training_slots(cores: int | None = None) -> int:
    """How many runs of one server process may train at once: one per core the thread policy gives out.

    models.threads.live_threads keeps one core for drawing and gives every
    training run at least one thread; with one run per remaining core each
    gets exactly one, so the runs never ask for more threads than there are
    cores. On 2 cores that is 1 slot. NNLAB_TRAINING_SLOTS overrides it.
    """
    override = os.environ.get(SLOTS_ENV, "").strip()
    if override.isdigit() and int(override) > 0:
        return int(override)
    cores = cores or os.cpu_count() or 1
    # live_threads(slots, cores) is then exactly 1: every admitted run has a core of its own.
    return max(1, cores - 1)


def turn_seconds() -> float:
    """How long a run trains while others wait before it queues again: TURN_SECONDS by default.

    NNLAB_TURN_SECONDS overrides it with a positive number of seconds; anything else is ignored.
    """
    override = os.environ.get(TURN_ENV, "").strip()
    try:
        value = float(override)
    except ValueError:
        return TURN_SECONDS
    return value if 0 < value < float("inf") else TURN_SECONDS


class Ticket:
    """One run's place: waiting in the queue, holding a slot, or gone (released or left)."""

    __slots__ = ("number", "owner", "admitted_at", "turns")

    def __init__(self, number: int, owner: object) -> None:
        self.number = number
        self.owner = owner
        self.admitted_at: float | None = None
        self.turns = 0  # how many times take_turn sent it back: it waits after a turn

    def __repr__(self) -> str:
        return f"Ticket({self.number}, {self.owner!r})"


class Admission:
    """A FIFO queue in front of `capacity` training slots, safe to use from any thread."""

    def __init__(
        self, capacity: int | None = None, turn_seconds: float | None = TURN_SECONDS
    ) -> None:
        self.capacity = capacity if capacity is not None else training_slots()
        if self.capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {self.capacity}")
        self.turn_seconds = turn_seconds
        self._cond = threading.Condition()
        self._waiting: deque[Ticket] = deque()
        self._holding: list[Ticket] = []
        self._numbers = itertools.count(1)

    # ------------------------------------------------------------ queries
    @property
    def holding(self) -> int:
        """How many runs hold a slot now."""
        with self._cond:
            return len(self._holding)

    @property
    def waiting(self) -> int:
        """How many runs wait in the queue now."""
        with self._cond:
            return len(self._waiting)

    def admitted(self, ticket: Ticket) -> bool:
        """True while `ticket` holds a slot."""
        with self._cond:
            return ticket in self._holding

    def ahead(self, ticket: Ticket) -> int | None:
        """How many waiting runs are ahead of `ticket` (0: next in line); None unless it waits."""
        with self._cond:
            for i, other in enumerate(self._waiting):
                if other is ticket:
                    return i
            return None

    # ------------------------------------------------------------ changes
    def join(self, owner: object = None) -> Ticket:
        """Queue a new run at the back (it takes a free slot at once if nobody waits before it)."""
        with self._cond:
            ticket = Ticket(next(self._numbers), owner)
            self._waiting.append(ticket)
            self._admit()
            return ticket

    def wait(self, ticket: Ticket, timeout: float | None = None) -> bool:
        """Block until `ticket` holds a slot (True), or `timeout` seconds pass or it left (False)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while ticket not in self._holding:
                if ticket not in self._waiting:
                    return False  # released or left while waiting
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._cond.wait(remaining)
            return True

    def release(self, ticket: Ticket) -> None:
        """Give back `ticket`'s slot, or take it out of the queue; the next waiter moves up.

        Safe to call more than once, and for a ticket in either state: every
        way a run stops (finish, pause, reset, divergence, error, a closed
        tab) ends in this one call.
        """
        with self._cond:
            if ticket in self._holding:
                self._holding.remove(ticket)
            elif ticket in self._waiting:
                self._waiting.remove(ticket)
            else:
                return
            ticket.admitted_at = None
            self._admit()
            self._cond.notify_all()

    def take_turn(self, ticket: Ticket, now: float | None = None) -> bool:
        """If `ticket` has trained its turn while others wait, send it to the back; True if it went.

        Called by a holder between two slices. It then waits (`wait`) like any other run.
        """
        with self._cond:
            if not self._turn_over(ticket, now):
                return False
            self._holding.remove(ticket)
            ticket.admitted_at = None
            ticket.turns += 1
            self._waiting.append(ticket)
            self._admit()
            self._cond.notify_all()
            return True

    def turn_over(self, ticket: Ticket, now: float | None = None) -> bool:
        """True if `ticket` has trained its turn while others wait: `take_turn` would send it back.

        Lets a holder give back what its successor will need (a worker process) before the slot.
        """
        with self._cond:
            return self._turn_over(ticket, now)

    def _turn_over(self, ticket: Ticket, now: float | None) -> bool:
        """`turn_over` for a caller that holds the condition."""
        if self.turn_seconds is None or ticket.admitted_at is None:
            return False
        now = time.monotonic() if now is None else now
        return (
            ticket in self._holding
            and bool(self._waiting)
            and now - ticket.admitted_at >= self.turn_seconds
        )

    def _admit(self) -> None:
        """Move waiters into free slots, oldest first (the caller holds the condition)."""
        moved = False
        while self._waiting and len(self._holding) < self.capacity:
            ticket = self._waiting.popleft()
            ticket.admitted_at = time.monotonic()
            self._holding.append(ticket)
            moved = True
        if moved:
            self._cond.notify_all()
