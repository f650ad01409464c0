"""Compare runs on the XOR page (the fastest lab): pin, change one setting, train, read chart and table."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from models import load_model_file
from tests.apptest.helpers import (
    charts,
    lab_session,
    long_xor_run,
    open_page,
    rerun_until,
    set_widget,
    texts,
    train_to_end,
)
from tests.apptest.language_checks import english_words
from ui.i18n import Translator

EN, ZH = Translator("en"), Translator("zh-TW")


def _table(at: AppTest, tr: Translator = EN):
    """The comparison table (the one with a column of differing settings)."""
    return next(tb.value for tb in at.table if tr("compare.columns.changes") in tb.value.columns)


def _loss_traces(at: AppTest, tr: Translator = EN) -> list[str]:
    return next(c["traces"] for c in charts(at) if c["title"] == tr("training_charts.loss_title"))


def _short_xor(lang: str | None = None) -> AppTest:
    at = open_page("xor", lang)
    set_widget(at, "xor_epochs", 10)
    at.run()
    return at


def _pin_then_train_with(at: AppTest, widget: str, value) -> None:
    train_to_end(at, "xor")
    at.button(key="xor_compare_pin").click().run()
    assert not at.exception, at.exception
    set_widget(at, widget, value)
    at.run()
    train_to_end(at, "xor")


def test_pin_change_lr_and_train_again_shows_both_runs_and_only_lr_differs():
    at = _short_xor()
    _pin_then_train_with(at, "xor_lr", 0.1)
    traces = _loss_traces(at)
    assert traces == [
        "Run 1 · training",
        "Run 1 · validation",
        "Run 2 (now) · training",
        "Run 2 (now) · validation",
    ]
    table = _table(at)
    assert list(table["Run"]) == ["Run 1", "Run 2 (now)"]
    assert list(table["Settings that differ"]) == ["baseline", "Learning rate 0.03 → 0.1"]
    assert all(seed.endswith("(same)") for seed in table["Random seed"])
    assert list(table["Epochs trained"]) == ["10", "10"]
    assert any(EN("compare.same_seed_note", seed=1) == c for c in texts(at, "caption"))
    # The pinned baseline kept its weights as a model file with its own settings.
    book = lab_session(at, "xor").compare
    model, meta = load_model_file(book.get(1).model_bytes)
    assert meta["train_config"]["lr"] == 0.03 and len(meta["history"]["epochs"]) == 10
    assert model.config.hidden == (3,)
    assert book.get(2).model_bytes is None  # not pinned: no weights
    # Reset keeps the run as it stood, to be picked for the chart; the pinned one stays on it.
    at.button(key="xor_reset").click().run()
    assert [r.number for r in book.records] == [1, 2] and book.current is None
    assert list(_table(at)["Run"]) == ["Run 1"]
    assert at.multiselect(key="xor_compare_runs").options == [
        "Run 2",
        EN("compare.pinned_label", label="Run 1"),
    ]


def test_eleven_runs_keep_ten_and_only_the_pinned_one_holds_a_model():
    at = _short_xor()
    train_to_end(at, "xor")
    at.button(key="xor_compare_pin").click().run()
    for seed in range(2, 12):  # ten more runs, each replacing the one before
        set_widget(at, "xor_seed", seed)
        at.run()
        train_to_end(at, "xor")
    book = lab_session(at, "xor").compare
    assert len(book.records) == 10
    assert [r.number for r in book.records] == [1, *range(3, 12)]  # run 2 went, pinned run 1 stayed
    assert book.get(1).pinned and book.get(1).model_bytes is not None
    assert all(r.model_bytes is None for r in book.records if r.number != 1)
    # The picker offers the kept runs; the chart holds the pinned run and the current one.
    picker = at.multiselect(key="xor_compare_runs")
    assert len(picker.options) == 9 and picker.value == [1]
    assert _loss_traces(at)[:2] == ["Run 1 · training", "Run 1 · validation"]
    table = _table(at)
    assert list(table["Settings that differ"]) == ["baseline", "Seed 1 → 11"]
    assert list(table["Random seed"]) == ["1 (same)", "11 (differs)"]
    # Picking more runs draws them too (five at most on the chart).
    picker.set_value([1, 9, 10]).run()
    assert len(_loss_traces(at)) == 8


def test_a_paused_run_is_kept_as_it_stands():
    at = open_page("xor")
    long_xor_run(at)
    at.button(key="xor_train").click().run()
    live = lab_session(at, "xor").live
    rerun_until(at, lambda: live.latest_epoch()[0] >= 3, "three epochs")
    at.button(key="xor_pause").click().run()
    epochs = live.latest_epoch()[0]
    set_widget(at, "xor_lr", 0.1)
    set_widget(at, "xor_epochs", 10)
    at.run()
    train_to_end(at, "xor")
    book = lab_session(at, "xor").compare
    kept = book.get(1)
    assert kept.status == "running" and len(kept.epochs) == epochs < 2000
    table = _table(at)
    assert list(table["Status"]) == [EN("compare.status.unfinished"), "Finished"]
    assert table["Settings that differ"][1] == "Learning rate 0.03 → 0.1, Epochs 2000 → 10"


def test_the_comparison_in_zh_tw_shows_no_english():
    at = _short_xor("zh-TW")
    _pin_then_train_with(at, "xor_lr", 0.1)
    # train.csv and valid.csv are file names in the code export's caption (ui/code_view.py).
    assert english_words(at, allowed={"train", "valid"}) == []
    assert _loss_traces(at, ZH)[0] == f"{ZH('compare.run', n=1)} · {ZH('training_charts.training')}"
    table = _table(at, ZH)
    assert list(table[ZH("compare.columns.changes")]) == [
        ZH("compare.table.baseline"),
        "學習率 0.03 → 0.1",
    ]
    assert table[ZH("compare.columns.seed")][1] == ZH("compare.table.same_seed", seed=1)


def _page_with_comparison_button():
    """The XOR page with a button that calls start_comparison, as the coach's button will."""
    import runpy

    import streamlit as st

    from tests.apptest.helpers import ROOT
    from ui.compare.runs import start_comparison

    st.button("compare", key="t_compare", on_click=start_comparison, args=("xor", {"lr": 0.1}))
    runpy.run_path(str(ROOT / "pages" / "xor.py"), run_name="__main__")


def test_start_comparison_pins_this_run_and_trains_the_changed_one():
    at = AppTest.from_function(_page_with_comparison_button, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    set_widget(at, "xor_epochs", 10)
    at.run()
    train_to_end(at, "xor")
    at.button(key="t_compare").click().run()
    assert not at.exception, at.exception
    book = lab_session(at, "xor").compare
    live = lab_session(at, "xor").live
    assert book.get(1).pinned
    rerun_until(at, lambda: not live.running, "the comparison run to end")
    with live.borrow() as run:
        assert run.train_config.lr == 0.1 and run.train_config.seed == 1 and run.done
    assert list(_table(at)["Settings that differ"]) == ["baseline", "Learning rate 0.03 → 0.1"]


def test_after_pin_its_place_still_holds_pin_so_a_double_click_cannot_unpin():
    at = _short_xor()
    train_to_end(at, "xor")
    book = lab_session(at, "xor").compare
    assert at.button(key="xor_compare_unpin").disabled
    at.button(key="xor_compare_pin").click().run()
    # A double click's second click lands on Pin again, now disabled; Unpin is its own button.
    assert book.current.pinned and at.button(key="xor_compare_pin").disabled
    at.button(key="xor_compare_unpin").click().run()
    assert not book.current.pinned and not at.button(key="xor_compare_pin").disabled
