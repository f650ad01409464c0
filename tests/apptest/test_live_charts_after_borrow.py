"""While a run trains, each redraw draws the training charts after it has given the run back."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import ui.live_view as live_view
from tests.apptest.helpers import lab_session, light_charts, open_page, rerun_until, set_widget
from ui.live_run import LiveRun


def test_the_training_charts_are_drawn_from_copies_after_the_borrow(monkeypatch):
    inside = threading.local()  # the script thread's borrow, if any
    drawn: list[bool] = []  # per chart drawing: was the run still borrowed?
    borrow = LiveRun.borrow

    @contextmanager
    def noting_borrow(self):
        with borrow(self) as run:
            inside.held = True
            try:
                yield run
            finally:
                inside.held = False

    charts = live_view.training_charts

    def noting_charts(data, places=None, light=False):
        drawn.append(getattr(inside, "held", False))
        assert isinstance(data, live_view.ChartData)
        charts(data, places, light)

    monkeypatch.setattr(LiveRun, "borrow", noting_borrow)
    monkeypatch.setattr(live_view, "training_charts", noting_charts)
    at = open_page("iris")
    set_widget(at, "iris_epochs", 500)
    at.run()
    at.button(key="iris_train").click().run()
    live = lab_session(at, "iris").live
    try:
        rerun_until(at, lambda: any(c["points"] for c in light_charts(at)), "a redraw with points")
        assert drawn and not any(drawn)
    finally:
        live.stop()


def test_chart_data_keeps_the_history_as_it_was_when_copied():
    class History:
        epochs = [{"epoch": 1, "train_loss": 0.5}]
        step_loss = [0.7, 0.6]

    class Run:
        history = History()
        task = "classification"

    data = live_view.ChartData.of(Run())
    History.epochs.append({"epoch": 2, "train_loss": 0.4})  # the trainer goes on
    History.step_loss.append(0.5)
    assert data.epochs == [{"epoch": 1, "train_loss": 0.5}] and data.step_loss == [0.7, 0.6]
    assert data.task == "classification" and data.overlay == ()
