"""AppTests for the RNN lab: before training, each cell and task trains, every control at its ends, zh-TW."""

from __future__ import annotations

import json

import pytest

from data.sequences import SEQUENCE_TASKS
from lessons.registry import lab
from lessons.rnn_memory import measured_memory
from models.recurrent import RECURRENT_KINDS
from tests.apptest.helpers import (
    charts,
    open_page,
    progress_text,
    push_sliders,
    rerun_until,
    run_stat,
    set_widget,
    texts,
    train_to_end,
)
from tests.apptest.language_checks import english_words
from ui.i18n import Translator

EN, ZH = Translator("en"), Translator("zh-TW")
GRADIENT = EN("rnn.figures.gradient.title")
# The deck's title names Python, and the tips link to a page by its path.
# "Python" from the deck's title; the others are link paths (URLs stay English).
ALLOWED_ZH = {"python", "universal_approximation", "activations"}


def _short(at, **widgets) -> None:
    """Small, quick settings (2 epochs of 200 sequences), plus the given widgets."""
    set_widget(at, "rnn_epochs", 2)
    set_widget(at, "rnn_n", 200)
    for key, value in widgets.items():
        set_widget(at, key, value)
    at.run()
    assert not at.exception, at.exception


def _gradient_traces(at) -> list[str]:
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    spec = next(s for s in specs if s["layout"].get("title", {}).get("text") == GRADIENT)
    return [t["name"] for t in spec["data"]]


def test_before_training_the_data_and_the_gradient_at_initialization_are_shown():
    at = open_page("rnn")
    assert at.title[0].value == EN("labs.rnn.heading")
    assert progress_text(at) == EN("common.status.ready")
    titles = [c["title"] for c in charts(at)]
    assert titles == [EN("rnn.figures.data.title_first_symbol"), GRADIENT]
    assert _gradient_traces(at) == [EN("rnn.figures.gradient.at_init")]
    # 32 tanh units on one input: 4·(1·32 + 32·32 + 2·32)/4 = 1,120 recurrent weights, 33 in the head.
    assert any("Total parameters: 1,153" in c for c in texts(at, "caption"))
    assert any("|∂L/∂h₁| / |∂L/∂h_T|" in c for c in texts(at, "caption"))


@pytest.mark.parametrize(
    ("cell", "task", "extra"),
    [
        ("rnn", "first_symbol", []),
        ("lstm", "noisy_wave", ["rnn.figures.states.cell", "rnn.figures.wave.title"]),
        ("gru", "marked_sum", []),
    ],
)
def test_each_cell_trains_live_on_a_task_with_its_views(cell, task, extra):
    at = open_page("rnn")
    _short(at, rnn_cell=cell, rnn_task=task, rnn_clip=True)
    assert train_to_end(at, "rnn").startswith("Finished · epoch 2/2")
    titles = [c["title"] for c in charts(at)]
    expected = [GRADIENT, EN("rnn.figures.states.hidden")] + [EN(k) for k in extra]
    assert all(title in titles for title in expected), titles
    assert _gradient_traces(at) == [
        EN("rnn.figures.gradient.at_init"),
        EN("rnn.figures.gradient.now"),
    ]
    assert (EN("rnn.figures.states.cell") in titles) == (cell == "lstm")


def test_every_control_at_its_ends_never_raises_and_a_run_survives_the_move():
    at = open_page("rnn")
    _short(at, rnn_cell="lstm", rnn_clip=True)  # reveals the forget-gate bias and the clip limit
    choices = {
        "rnn_task": SEQUENCE_TASKS,
        "rnn_cell": RECURRENT_KINDS,
        "rnn_optimizer": lab("rnn").controls.optimizers,
    }
    for key, values in choices.items():
        for value in (*values[1:], values[0]):  # each option, ending on the first
            set_widget(at, key, value)
            at.run()
            assert not at.exception, (key, value, at.exception)
    set_widget(at, "rnn_cell", "lstm")
    at.run()
    moved = push_sliders(at, "max") + push_sliders(at, "min")
    labels = {EN(f"rnn.controls.{k}") + " ↻" for k in ("seq_len", "n_sequences", "noise")}
    labels |= {EN(f"rnn.controls.{k}") + " ↻" for k in ("hidden", "layers", "forget_bias")}
    labels |= {EN("rnn.controls.clip_norm") + " ↻", "Epochs"}
    assert labels <= set(moved), labels - set(moved)
    set_widget(at, "rnn_seed", 10_000)
    at.run()
    assert not at.exception, at.exception
    train_to_end(at, "rnn")
    push_sliders(at, "max")
    assert any("You changed a ↻ setting" in w for w in texts(at, "warning"))
    assert progress_text(at).startswith("Finished")


def test_the_page_states_what_the_bench_measured():
    at = open_page("rnn")
    result = measured_memory()
    if result is None:
        assert EN("rnn.measured.missing") in texts(at, "info")
        return
    table = next(df.value for df in at.dataframe if "T = 100" in df.value.columns)
    assert len(table) == 4 and list(table.columns)[1:] == [
        f"T = {n}" for n in result["settings"]["lengths"]
    ]
    assert any("Deep learning wisdom" in s.value for s in at.subheader)


def test_zh_tw_page_before_and_after_training_shows_no_english():
    at = open_page("rnn", "zh-TW")
    assert at.title[0].value == ZH("labs.rnn.heading")
    assert english_words(at, allowed=ALLOWED_ZH) == []
    _short(at, rnn_cell="lstm", rnn_task="noisy_wave")
    train_to_end_zh(at)
    titles = [c["title"] for c in charts(at)]
    assert ZH("rnn.figures.gradient.title") in titles and ZH("rnn.figures.wave.title") in titles
    assert english_words(at, allowed=ALLOWED_ZH) == []


def train_to_end_zh(at) -> None:
    """Press Train and rerun until the run ends (the status line is in Chinese here)."""
    at.button(key="rnn_train").click().run()
    rerun_until(at, lambda: run_stat(at, "rnn", lambda run: run.done), "the RNN run finishing")
    at.run()
    assert not at.exception, at.exception
