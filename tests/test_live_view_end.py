"""ui.live_view at a run's end: a timer redraw that finds the run ended finishes it and leaves
the drawing to the full rerun that follows, instead of drawing the ended run twice."""

from __future__ import annotations

from contextlib import contextmanager
from types import SimpleNamespace

import ui.live_view as live_view
from ui.state import RedrawClock


class _Live:
    """The parts of a LiveRun the end check uses, recording what it was asked to do."""

    def __init__(self, done: bool, running: bool = True, error: Exception | None = None):
        self.run = SimpleNamespace(done=done)
        self.running = running
        self.error = error
        self.finished = 0
        self.borrowed = 0

    @contextmanager
    def borrow(self):
        self.borrowed += 1
        yield self.run

    def finish(self) -> None:
        self.finished += 1
        self.running = False


def _session(live: _Live, full_run: bool = False):
    return SimpleNamespace(
        full_run=full_run,
        live=live,
        redraw=RedrawClock(draw_seconds=0.05, last_start=100.0),
        views_model=SimpleNamespace(model=object()),
    )


def test_a_timer_redraw_finishes_an_ended_run_and_clears_its_pacing() -> None:
    session = _session(_Live(done=True))
    assert live_view._finish_ended_run(session) is True
    assert session.live.finished == 1 and not session.live.running
    assert session.redraw.last_start is None  # the next run's first redraw is not paced on this one
    assert session.views_model.model is None  # no copy of the model kept for the views


def test_a_run_still_training_is_left_to_draw() -> None:
    session = _session(_Live(done=False))
    assert live_view._finish_ended_run(session) is False
    assert session.live.finished == 0 and session.live.running
    assert session.redraw.last_start == 100.0 and session.views_model.model is not None


def test_a_full_run_draws_the_ended_run_itself() -> None:
    session = _session(_Live(done=True), full_run=True)
    assert live_view._finish_ended_run(session) is False
    assert session.live.finished == 0 and session.live.borrowed == 0


def test_a_run_stopped_by_an_error_keeps_the_redraw_that_shows_it() -> None:
    session = _session(_Live(done=True, error=RuntimeError("boom")))
    assert live_view._finish_ended_run(session) is False
    assert session.live.finished == 0


def test_a_paused_run_is_not_finished() -> None:
    session = _session(_Live(done=False, running=False))
    assert live_view._finish_ended_run(session) is False
    assert session.live.borrowed == 0
