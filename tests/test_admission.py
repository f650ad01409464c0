"""models.admission: a FIFO queue in front of a server process's training slots."""

from __future__ import annotations

import threading
import time

import pytest

from models.admission import (
    SLOTS_ENV,
    TURN_ENV,
    TURN_SECONDS,
    Admission,
    training_slots,
    turn_seconds,
)
from models.threads import live_threads

BUDGET_SECONDS = 10.0


def test_capacity_follows_the_cores_and_the_thread_policy(monkeypatch):
    monkeypatch.delenv(SLOTS_ENV, raising=False)
    assert training_slots(1) == 1
    assert training_slots(2) == 1  # one core is left for drawing, as in models.threads
    assert training_slots(8) == 7
    for cores in (1, 2, 4, 8, 64):
        assert live_threads(training_slots(cores), cores) >= 1
    monkeypatch.setenv(SLOTS_ENV, "3")
    assert training_slots(2) == 3
    monkeypatch.setenv(SLOTS_ENV, "zero")
    assert training_slots(2) == 1
    with pytest.raises(ValueError):
        Admission(capacity=0)


def test_runs_take_free_slots_in_the_order_they_came_and_the_rest_wait():
    adm = Admission(capacity=2)
    a, b, c, d = (adm.join(name) for name in "abcd")
    assert adm.admitted(a) and adm.admitted(b)
    assert not adm.admitted(c) and not adm.admitted(d)
    assert (adm.ahead(a), adm.ahead(c), adm.ahead(d)) == (None, 0, 1)
    assert (adm.holding, adm.waiting) == (2, 2)
    assert adm.wait(a, timeout=0) is True
    assert adm.wait(c, timeout=0.01) is False  # still queued after the timeout
    adm.release(b)
    assert adm.admitted(c) and adm.ahead(d) == 0
    adm.release(a)
    assert adm.admitted(d) and (adm.holding, adm.waiting) == (2, 0)


def test_every_way_out_frees_the_place_once():
    adm = Admission(capacity=1)
    holder, waiter, last = adm.join("holder"), adm.join("waiter"), adm.join("last")
    adm.release(waiter)  # a waiting run leaves (closed tab, pause, reset before its turn)
    assert adm.ahead(waiter) is None and adm.ahead(last) == 0
    assert adm.wait(waiter, timeout=1) is False  # a ticket that left never gets a slot
    adm.release(holder)  # a holder stops (finished, paused, diverged, error)
    assert adm.admitted(last)
    adm.release(holder)  # twice is harmless
    adm.release(waiter)
    assert (adm.holding, adm.waiting) == (1, 0)
    adm.release(last)
    assert (adm.holding, adm.waiting) == (0, 0)


class _CountingCondition(threading.Condition):
    """A Condition that counts the threads blocked in its wait() (changed under its lock)."""

    def __init__(self) -> None:
        super().__init__()
        self.blocked = 0

    def wait(self, timeout: float | None = None) -> bool:
        self.blocked += 1
        try:
            return super().wait(timeout)
        finally:
            self.blocked -= 1


def test_a_waiter_blocked_in_wait_is_woken_by_a_release_and_by_leaving():
    adm = Admission(capacity=1)
    adm._cond = _CountingCondition()  # to release only once both threads are really blocked
    holder = adm.join("holder")
    first, second = adm.join("first"), adm.join("second")
    results: dict[str, bool] = {}
    threads = [
        threading.Thread(
            target=lambda t=t, n=n: results.__setitem__(n, adm.wait(t)),  # no timeout: a hang fails
            daemon=True,  # a regression that leaves one blocked must not hold the test run open
        )
        for n, t in (("first", first), ("second", second))
    ]
    for th in threads:
        th.start()
    deadline = time.monotonic() + BUDGET_SECONDS
    while adm._cond.blocked < 2 and time.monotonic() < deadline:
        time.sleep(0.001)
    assert adm._cond.blocked == 2, "the two waiters never blocked in wait()"
    adm.release(second)  # leaves while blocked in wait(): returns False at once
    adm.release(holder)
    for th in threads:
        th.join(BUDGET_SECONDS)
    assert not any(th.is_alive() for th in threads)
    assert results == {"first": True, "second": False}


def test_no_run_starves_under_contention_slots_go_first_come_first_served():
    adm = Admission(capacity=1, turn_seconds=None)
    order: list[int] = []
    tickets = [adm.join(i) for i in range(12)]

    def run(ticket) -> None:
        if adm.wait(ticket, timeout=BUDGET_SECONDS):
            order.append(ticket.owner)  # one slot: only the holder appends
        adm.release(ticket)

    # Started in reverse: the order they were queued in decides, not who asks first.
    threads = [threading.Thread(target=run, args=(t,)) for t in reversed(tickets)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(BUDGET_SECONDS)
    assert not any(th.is_alive() for th in threads)
    assert order == list(range(12))


def test_a_long_run_gives_its_slot_to_waiters_after_its_turn():
    adm = Admission(capacity=1, turn_seconds=10.0)
    long_run = adm.join("long")
    start = long_run.admitted_at
    assert adm.turn_over(long_run, now=start + 60) is False  # nobody waits: it keeps training
    assert adm.take_turn(long_run, now=start + 60) is False
    other = adm.join("other")
    assert adm.turn_over(long_run, now=start + 5) is False  # its turn is not over
    assert adm.take_turn(long_run, now=start + 5) is False
    # turn_over only tells (the holder gives back its worker first); take_turn then moves it.
    assert adm.turn_over(long_run, now=start + 10) is True
    assert adm.admitted(long_run) and not adm.admitted(other)
    assert long_run.turns == 0 and other.turns == 0  # new in line, not taking turns
    assert adm.take_turn(long_run, now=start + 10) is True
    assert adm.admitted(other) and adm.ahead(long_run) == 0
    assert long_run.turns == 1  # its page says it takes turns with the class
    adm.release(other)
    assert adm.admitted(long_run)
    assert (
        Admission(capacity=1, turn_seconds=None).take_turn(long_run, now=time.monotonic() + 99)
        is False
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", TURN_SECONDS),
        ("60", 60.0),
        ("2.5", 2.5),
        ("0", TURN_SECONDS),
        ("-3", TURN_SECONDS),
        ("inf", TURN_SECONDS),
        ("nan", TURN_SECONDS),
        ("long", TURN_SECONDS),
    ],
)
def test_the_turn_can_be_set_by_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv(TURN_ENV, value)
    assert turn_seconds() == expected
