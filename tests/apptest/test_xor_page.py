"""AppTests for the XOR lab: loads, trains to the end, pause/resume, sliders at their extremes."""

import re

from tests.apptest.helpers import (
    charts,
    open_page,
    progress_text,
    push_sliders,
    set_widget,
    texts,
    train_to_end,
)


def _clock(status: str) -> float:
    """The seconds the status line says the run has trained (the wall clock, pauses left out)."""
    m = re.search(r" · ([\d,]+\.\d\d) s$", status)
    assert m, status
    return float(m.group(1).replace(",", ""))


def test_loads_with_summary_before_training():
    at = open_page("xor")
    assert at.title[0].value.startswith("XOR")
    assert progress_text(at) == ""
    # The Keras-style summary of the 2-3-1 network: 9 + 4 = 13 parameters.
    assert any("Total parameters: 13" in c for c in texts(at, "caption"))


def test_before_training_the_points_are_shown_and_training_replaces_them_with_the_boundary():
    at = open_page("xor")
    assert charts(at) == [
        {
            "title": "The data: the points the network must separate",
            "traces": ["class 0", "class 1"],
        }
    ]
    set_widget(at, "xor_epochs", 10)
    at.run()
    train_to_end(at, "xor")
    titles = [c["title"] for c in charts(at)]
    assert "The data: the points the network must separate" not in titles
    assert any(t.startswith("Decision boundary") for t in titles)


def test_short_run_finishes_and_shows_boundary_and_metrics():
    at = open_page("xor")
    set_widget(at, "xor_epochs", 10)
    at.run()
    status = train_to_end(at, "xor")
    assert status.startswith("Finished · epoch 10/10")
    assert "samples/s" in status and _clock(status) > 0
    # loss per epoch, accuracy, loss per step, decision boundary, hidden units
    assert len(at.get("plotly_chart")) == 5
    assert any(
        df.value.shape == (10, len(df.value.columns)) for df in at.dataframe
    )  # metrics per epoch
    assert at.success or at.warning  # solved, or the page explains why not


def test_pause_and_resume_keep_the_run():
    at = open_page("xor")
    set_widget(at, "xor_epochs", 2000)
    at.run()
    at.button(key="xor_train").click().run()
    assert progress_text(at).startswith("Training")
    at.button(key="xor_pause").click().run()
    paused = progress_text(at)
    assert paused.startswith("Paused")
    at.run()  # a paused run does not move, and neither does its clock
    assert progress_text(at) == paused and _clock(paused) > 0
    assert at.button(key="xor_pause").label == "Resume"
    at.button(key="xor_pause").click().run()
    at.run()
    assert progress_text(at).startswith("Training") and _clock(progress_text(at)) >= _clock(paused)
    at.button(key="xor_reset").click().run()
    assert progress_text(at) == ""


def test_sliders_at_min_and_max_never_raise():
    at = open_page("xor")
    set_widget(at, "xor_cloud", True)  # reveals the cloud sliders too
    at.run()
    moved = push_sliders(at, "min") + push_sliders(at, "max")
    assert {"Points per corner ↻", "Noise (std) ↻", "Epochs", "Learning rate (log scale) ↻"} <= set(
        moved
    )
    # A trained run survives a move to the other extreme: its results stay, with a warning.
    push_sliders(at, "min")
    train_to_end(at, "xor")
    push_sliders(at, "max")
    assert any("You changed a ↻ setting" in w for w in texts(at, "warning"))
    assert progress_text(at).startswith("Finished")
