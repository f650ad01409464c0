"""While a run trains, each redraw draws the training charts after it has given the run back,
into places that stand the same before, while and after a run."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import ui.live_view as live_view
from tests.apptest.helpers import (
    lab_session,
    light_charts,
    open_page,
    rerun_until,
    set_widget,
    train_to_end,
)
from ui.live_run import LiveRun


@contextmanager
def _training(at, lab: str, epochs: int):
    """`lab`'s run trains until a redraw has drawn points; it is stopped when the block ends."""
    set_widget(at, f"{lab}_epochs", epochs)
    at.run()
    at.button(key=f"{lab}_train").click().run()
    live = lab_session(at, lab).live
    try:
        rerun_until(at, lambda: any(c["points"] for c in light_charts(at)), "a redraw with points")
        yield live
    finally:
        live.stop()


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
    with _training(at, "iris", epochs=500):
        assert drawn and not any(drawn)


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


def _live_area(at) -> list:
    """The live area's first three places: the status line, then each row of charts with, per
    column, the kind of chart in it (light while training, Plotly after)."""
    (area,) = [
        block
        for block in at.main.children.values()
        if getattr(block, "children", None)
        and getattr(block.children.get(0), "type", None) == "progress"
    ]
    places = [area.children[i] for i in range(3)]
    return [
        (place.type, [[c.type for c in col.children.values()] for col in place.children.values()])
        if place.type != "progress"
        else ("progress", [])
        for place in places
    ]


def test_the_charts_stand_in_the_same_places_before_while_and_after_a_run():
    # An element turned into a block at one place between two redraws can fail in Streamlit's
    # frontend ("'setIn' cannot be called on an ElementNode"), so the places never change kind.
    at = open_page("xor")
    light = [("progress", [])] + [("flex_container", [["bidi_component"]] * n) for n in (2, 1)]
    assert _live_area(at) == light  # before the first run: empty light charts
    with _training(at, "xor", epochs=2000):
        assert _live_area(at) == light
    at.button(key="xor_reset").click().run()
    set_widget(at, "xor_epochs", 10)
    at.run()
    train_to_end(at, "xor")
    assert _live_area(at) == [("progress", [])] + [
        ("flex_container", [["plotly_chart"]] * n) for n in (2, 1)
    ]
