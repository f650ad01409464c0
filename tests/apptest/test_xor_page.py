"""AppTests for the XOR lab: loads, trains to the end, pause/resume, sliders at their extremes, zh-TW."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from lessons.registry import lab
from tests.apptest.helpers import (
    ROOT,
    charts,
    lab_session,
    light_charts,
    long_xor_run,
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

EN, ZH = Translator("en"), Translator("zh-TW")  # expected texts come from the catalogue


def _clock(status: str) -> float:
    """The seconds the status line says the run has trained (the wall clock, pauses left out)."""
    m = re.search(r" · ([\d,]+\.\d\d) s$", status)
    assert m, status
    return float(m.group(1).replace(",", ""))


def test_loads_with_summary_before_training():
    at = open_page("xor")
    assert at.title[0].value.startswith("XOR")
    assert progress_text(at) == "Ready"  # the status line waits for a first run
    # So do the training charts, empty, on the light renderer the run will draw them with.
    assert light_charts(at) == [
        {"title": EN("training_charts.loss_title"), "points": 0},
        {"title": EN("training_charts.accuracy_title"), "points": 0},
        {"title": EN("training_charts.step_loss_title"), "points": 0},
    ]
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
    # Solved, or the coach says what it sees (or that there is nothing to fix).
    assert at.success or EN("coach.none") in texts(at, "caption") or at.warning


def _training_xor() -> AppTest:
    """The XOR page with a long run just started (Train pressed, the status says Training)."""
    at = open_page("xor")
    long_xor_run(at)
    at.button(key="xor_train").click().run()
    assert progress_text(at).startswith("Training")
    return at


def test_pause_and_resume_keep_the_run():
    at = _training_xor()
    at.button(key="xor_pause").click().run()
    paused = progress_text(at)
    assert paused.startswith("Paused")
    at.run()  # a paused run does not move, and neither does its clock
    assert progress_text(at) == paused and _clock(paused) > 0
    # The run resumes from the first button; Pause keeps its place, disabled.
    assert at.button(key="xor_train").label == "Resume" and at.button(key="xor_pause").disabled
    at.button(key="xor_train").click().run()
    at.run()
    assert progress_text(at).startswith("Training") and _clock(progress_text(at)) >= _clock(paused)
    assert all(c["points"] > 0 for c in light_charts(at))  # the run's curves, drawn live
    at.button(key="xor_reset").click().run()
    assert progress_text(at) == "Ready"
    assert [c["points"] for c in light_charts(at)] == [0, 0, 0]  # empty again


def test_after_pause_its_place_still_holds_pause_so_a_double_click_cannot_resume():
    # A double click's second click lands where the first one did (tests/e2e/test_live_area.py
    # double-clicks in a browser): there stays Pause, disabled; Resume is the first button.
    at = _training_xor()
    assert [b.key for b in at.button][:3] == ["xor_train", "xor_pause", "xor_reset"]
    at.button(key="xor_pause").click().run()
    assert progress_text(at).startswith("Paused") and not lab_session(at, "xor").live.running
    assert [b.key for b in at.button][:3] == ["xor_train", "xor_pause", "xor_reset"]
    assert at.button(key="xor_pause").label == "Pause" and at.button(key="xor_pause").disabled
    assert at.button(key="xor_train").label == "Resume" and not at.button(key="xor_train").disabled
    at.button(key="xor_train").click().run()
    assert progress_text(at).startswith("Training") and at.button(key="xor_train").disabled
    at.button(key="xor_pause").click().run()
    assert progress_text(at).startswith("Paused")


def test_the_views_model_copy_lives_only_while_the_run_trains():
    at = _training_xor()
    views = lab_session(at, "xor").views_model  # ui.paced_views: what the boundary draws from
    assert views.model is not None and not views.model.training
    at.button(key="xor_pause").click().run()
    assert progress_text(at).startswith("Paused")
    assert views.model is None  # a paused run's views read the run itself; no copy kept
    at.button(key="xor_reset").click().run()


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


# --- Traditional Chinese (zh-TW) ---------------------------------------------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")


def _open_zh() -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "xor.py"), default_timeout=60)
    at.query_params["lang"] = "zh-TW"
    at.run()
    assert not at.exception, at.exception
    return at


def _train_until_done(at: AppTest) -> None:
    """Press Train and rerun until the run is done (the status line's words are the language's)."""
    at.button(key="xor_train").click().run()
    rerun_until(at, lambda: run_stat(at, "xor", lambda run: run.done), "the XOR run finishing")
    at.run()
    assert not at.exception, at.exception


def test_zh_tw_page_and_its_views_after_training_show_no_english():
    at = _open_zh()
    assert english_words(at) == []
    assert charts(at)[0]["title"] == ZH("plots.boundary.data_title")
    assert [c["title"] for c in light_charts(at)] == [  # the empty training charts
        ZH("training_charts.loss_title"),
        ZH("training_charts.accuracy_title"),
        ZH("training_charts.step_loss_title"),
    ]
    set_widget(at, "xor_cloud", True)  # the cloud's sliders too
    set_widget(at, "xor_epochs", 10)
    at.run()
    assert english_words(at) == []
    _train_until_done(at)
    assert english_words(at) == []
    # The lab's own views: the success (or the coach), the truth table, the boundary.
    verdict = texts(at, "success") + texts(at, "warning") + texts(at, "caption")
    assert verdict and all(CJK.search(v) for v in verdict)
    table = next(df.value for df in at.dataframe if "XOR" in df.value.columns)
    assert list(table.columns) == ["x₁", "x₂", "XOR", "P(1)", "預測"]
    titles = [c["title"] for c in charts(at)]
    assert ZH("plots.boundary.title") in titles
    assert ZH("plots.hidden.title") in titles


def test_the_coach_explains_dead_relus_in_zh_tw():
    at = _open_zh()
    # Seed 2 leaves two of the three ReLUs dead (models.diagnose's measured scenario).
    set_widget(at, "xor_epochs", 30)
    set_widget(at, "xor_seed", 2)
    at.run()
    _train_until_done(at)
    evidence = ZH("coach.dead_units.evidence", dead=2, units=3, n_inputs=4)
    assert any(w.startswith(evidence) for w in texts(at, "warning"))
    assert ZH("xor.solved") not in texts(at, "success")
    assert english_words(at) == []


def test_switching_language_keeps_the_widgets_and_the_run():
    at = open_page("xor")
    set_widget(at, "xor_cloud", True)
    at.run()
    set_widget(at, "xor_n", 40)
    set_widget(at, "xor_noise", 0.2)
    set_widget(at, "xor_epochs", 10)
    at.run()
    train_to_end(at, "xor")
    epoch = run_stat(at, "xor", lambda run: run.epoch)
    for lang, title in (
        ("zh-TW", "XOR：為什麼需要隱藏層"),
        ("en", "XOR: why we need hidden layers"),
    ):
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception, at.exception
        assert at.title[0].value == title
        assert at.toggle(key="xor_cloud").value is True
        assert at.slider(key="xor_n").value == 40
        assert at.slider(key="xor_noise").value == pytest.approx(0.2)
        assert run_stat(at, "xor", lambda run: (run.done, run.epoch)) == (True, epoch)
        assert not any("↻" in w for w in texts(at, "warning"))  # still the same run's settings


def test_a_finished_run_says_how_to_train_more_until_epochs_are_raised():
    at = open_page("xor", lang="zh-TW")
    set_widget(at, "xor_epochs", 10)
    at.run()
    train_to_end(at, "xor")
    hint = ZH(
        "common.train_more_hint", epochs=ZH("common.epochs"), train_more=ZH("common.train_more")
    )
    assert hint in texts(at, "caption")
    assert at.button(key="xor_train").disabled
    set_widget(at, "xor_epochs", 20)
    at.run()
    assert hint not in texts(at, "caption")
    assert at.button(key="xor_train").label == ZH("common.train_more")


def test_epochs_set_below_the_epoch_under_way_move_the_slider_to_where_the_run_stops():
    # A teacher's review: at epoch 7 of 20, Epochs set to 3 ended the run at 7/7 while the
    # slider (and so the link and the code view) still said 3.
    lowest = lab("xor").controls.epochs[0]  # the slider's own minimum
    at = _training_xor()
    rerun_until(at, lambda: run_stat(at, "xor", lambda r: r.epoch) > lowest, f"epoch {lowest + 1}")
    set_widget(at, "xor_epochs", lowest)
    at.run()
    planned = run_stat(at, "xor", lambda r: r.train_config.epochs)
    assert planned > lowest and at.slider(key="xor_epochs").value == planned
    note = EN("common.epochs_under_way", asked=lowest, epoch=planned)
    assert note in [i.value for i in at.info]
    assert not [w for w in at.warning if w.value == EN("common.changed_setting")]
    lab_session(at, "xor").live.stop()


def _trained_then_linked() -> AppTest:
    """XOR trained to the end, then a link (activation=tanh) opened over the finished run."""
    at = open_page("xor")
    at.slider(key="xor_epochs").set_value(lab("xor").controls.epochs[0]).run()
    train_to_end(at, "xor")
    at.query_params["activation"] = "tanh"
    at.run()
    return at


def test_a_link_opened_over_a_trained_run_says_the_link_changed_the_settings():
    # A teacher's review: "You changed a setting" after opening a link read as "I broke it".
    at = _trained_then_linked()
    warnings = [w.value for w in at.warning]
    assert EN("common.changed_by_link") in warnings
    assert EN("common.changed_setting") not in warnings


def test_after_a_link_the_students_own_move_is_called_the_students():
    at = _trained_then_linked()
    at.selectbox(key="xor_activation").set_value("relu").run()  # the student moves it back...
    at.selectbox(key="xor_activation").set_value("sigmoid").run()  # ... and on
    warnings = [w.value for w in at.warning]
    assert EN("common.changed_setting") in warnings
    assert EN("common.changed_by_link") not in warnings
