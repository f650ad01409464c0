"""ui.live_view's wait before a timer redraw: it lets the run train until due, and ends early
when there is something to show (the run admitted, or its trainer thread ended).

Time is a fake clock that moves only when the wait sleeps, so the steps are counted
exactly and no test depends on the machine's speed. The last test checks the pacing's
arithmetic against how often the browser asks for a fragment run (LIVE_INTERVAL).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

import ui.live_view as live_view
from ui.state import RedrawClock


class _Clock:
    """perf_counter and sleep for ui.live_view: sleeping moves the clock, and is counted."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps = 0

    def perf_counter(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps += 1
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> _Clock:
    fake = _Clock()
    monkeypatch.setattr(live_view, "time", fake)
    monkeypatch.setattr(live_view, "st", SimpleNamespace(session_state={}))
    return fake


def _session(clock: _Clock, training_now: bool, queue_position: int | None = None):
    """A timer redraw of a run that last redrew just now (so a whole period is left to wait)."""
    return SimpleNamespace(
        full_run=False,
        redraw=RedrawClock(draw_seconds=0.0, last_start=clock.now),
        live=SimpleNamespace(training_now=training_now, queue_position=queue_position),
    )


def test_a_training_run_waits_until_its_redraw_is_due(clock: _Clock) -> None:
    live_view._wait_until_due(_session(clock, training_now=True))
    assert clock.now == pytest.approx(100.0 + live_view.MIN_REDRAW_SECONDS)
    steps = round(live_view.MIN_REDRAW_SECONDS / live_view.WAIT_STEP_SECONDS)
    assert steps <= clock.sleeps <= steps + 1  # + 1: ten 0.1 s steps sum to just under 1.0


def test_a_run_whose_trainer_ended_is_shown_after_one_step(clock: _Clock) -> None:
    live_view._wait_until_due(_session(clock, training_now=False))
    assert clock.sleeps == 1
    assert clock.now == pytest.approx(100.0 + live_view.WAIT_STEP_SECONDS)


def test_a_queued_run_is_shown_as_soon_as_it_is_admitted(clock: _Clock) -> None:
    session = _session(clock, training_now=True, queue_position=2)
    real_sleep = clock.sleep

    def admitted_on_third_step(seconds: float) -> None:
        real_sleep(seconds)
        if clock.sleeps == 3:
            session.live.queue_position = None

    clock.sleep = admitted_on_third_step
    live_view._wait_until_due(session)
    assert clock.sleeps == 3  # not the 50 steps of QUEUED_REDRAW_SECONDS


def test_a_click_or_the_first_redraw_does_not_wait(clock: _Clock) -> None:
    clicked = _session(clock, training_now=True)
    clicked.full_run = True
    first = _session(clock, training_now=True)
    first.redraw.last_start = None
    live_view._wait_until_due(clicked)
    live_view._wait_until_due(first)
    assert clock.sleeps == 0


@pytest.mark.parametrize("draw_seconds", [0.0, 0.01, 0.05, 0.1, 0.3, 0.5, 1.0, 1.5])
def test_every_fragment_run_waits_at_least_one_ask_of_the_browser(draw_seconds: float) -> None:
    # The fragment run after a redraw that took `draw_seconds` waits until the next redraw is
    # due: the spacing minus that drawing. The browser asks every LIVE_INTERVAL, so if the
    # wait is at least that long an ask is pending when the run ends, and the next run starts
    # at once. A longer interval would leave gaps between runs, and redraws would come late.
    wait = live_view.redraw_period(draw_seconds) - draw_seconds
    assert live_view.LIVE_INTERVAL <= wait
    # The same for a run waiting in the training queue.
    assert live_view.LIVE_INTERVAL <= live_view.QUEUED_REDRAW_SECONDS - draw_seconds
