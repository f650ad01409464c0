"""AppTests for the universal-approximation lab: training runs, placed points, bad points."""

import json

import pytest

from lessons.universal_approximation import DEFAULT_POINTS, TARGETS
from models import BUILDER_ACTIVATIONS
from models.admission import Admission
from tests.apptest.concept_steps import chart_is_finite, choose_each, page, sweep
from tests.apptest.helpers import (
    lab_session,
    open_page,
    progress_text,
    rerun_until,
    run_stat,
    texts,
    train_to_end,
)
from tests.apptest.language_checks import english_words
from ui import live_run
from ui.concepts.universal_approximation.controls import SPEC
from ui.i18n import ENGLISH as EN


def test_universal_approximation_trains_a_short_run(monkeypatch):
    # One slot, as on 2 cores: the comparison queues behind the single run still training. A
    # short turn lets it in after 1 s, not the 15 s a student's turn lasts (each wait, twice).
    monkeypatch.setattr(live_run, "ADMISSION", Admission(capacity=1, turn_seconds=1.0))
    at = page("universal_approximation")
    assert sweep(at, "slider") >= 4
    assert sweep(at, "select_slider") >= 6
    at.button(key="ua_train").click().run()
    rerun_until(at, lambda: run_stat(at, "ua", lambda r: r.epoch) >= 2, "two epochs")
    assert not at.exception
    assert "epoch" in at.get("progress")[0].proto.text
    losses = run_stat(at, "ua", lambda r: [row["train_loss"] for row in r.history.epochs])
    assert len(losses) >= 2 and losses[-1] < losses[0]
    at.slider(key="ua_epochs").set_value(at.slider(key="ua_epochs").max).run()  # still training
    at.button(key="ua_compare").click().run()  # at the Pause below, on any machine
    assert not at.exception
    live = at.session_state["ua_compare_session"].live

    def steps() -> dict:
        with live.borrow() as group:
            return {n: r.step for n, r in group.runs.items()}

    rerun_until(at, lambda: all(s > 0 for s in steps().values()), "every N training")
    assert sorted(steps()) == [1, 2, 4, 8, 16, 32]
    # Pause and Resume each keep their place: a double click's second click finds Pause disabled.
    at.button(key="ua_compare_pause").click().run()
    assert not live.running and not live.training_now
    paused = steps()
    at.run()
    assert steps() == paused and at.button(key="ua_compare_pause").disabled
    assert at.button(key="ua_compare_resume").label == "Resume"
    at.button(key="ua_compare_resume").click().run()
    rerun_until(at, lambda: sum(steps().values()) > sum(paused.values()), "training on")
    live.pause()
    lab_session(at, "ua").live.stop()  # the page's own run, before the admission patch is undone


def test_universal_approximation_points_need_numbers():
    at = page("universal_approximation")
    at.radio(key="ua_target").set_value("points").run()
    assert not at.exception and not at.error
    at.session_state["ua_points_0"] = {
        "edited_rows": {0: {"x": None}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    assert "fill in or delete" in at.error[0].value


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"deleted_rows": [0, 1, 2, 3, 4, 5]}, "at least two points"),
        ({"deleted_rows": [0, 1, 2, 3, 4]}, "at least two points"),
        ({"edited_rows": {1: {"x": -1.8}}}, "share the same x"),
        ({"edited_rows": {1: {"y": 1e30}}}, "y between -100 and 100"),
        ({"added_rows": [{"x": 0.5}]}, "fill in or delete"),
    ],
)
def test_universal_approximation_bad_points_read_as_sentences(edit, message):
    at = page("universal_approximation")
    at.radio(key="ua_target").set_value("points").run()
    at.session_state["ua_points_0"] = {
        "edited_rows": {},
        "added_rows": [],
        "deleted_rows": [],
        **edit,
    }
    at.run()
    assert not at.exception
    assert message in at.error[0].value
    assert "ua_train" not in [b.key for b in at.button]  # nothing to train on


def test_universal_approximation_trains_on_two_points():
    at = page("universal_approximation")
    at.radio(key="ua_target").set_value("points").run()
    at.session_state["ua_points_0"] = {
        "edited_rows": {},
        "added_rows": [],
        "deleted_rows": [0, 1, 2, 3],
    }
    at.run()
    at.button(key="ua_train").click().run()
    rerun_until(at, lambda: run_stat(at, "ua", lambda r: r.step) > 0, "a training step")
    assert not at.exception and not at.error
    assert run_stat(at, "ua", lambda r: len(r.dataset.X_train)) == 2


def _pad_data(at) -> dict:
    """What the point pad is given on the latest run: its points and axis ranges."""
    (pad,) = [e for e in at.main if getattr(e.proto, "component_name", "") == "nnlab_point_pad"]
    return json.loads(pad.proto.json)


def _pad_points(at) -> list:
    """The points the point pad is given to draw on the latest run."""
    return _pad_data(at)["points"]


def test_universal_approximation_points_from_the_pad_fill_the_table_and_train():
    at = page("universal_approximation")
    at.radio(key="ua_target").set_value("points").run()
    assert _pad_points(at) == DEFAULT_POINTS.tolist()  # first visit: the defaults, on both
    placed = [
        [1.25, -3.0],
        [-1.5, 2.5],
        [0.0, 2.0],
    ]  # as three clicks on the pad (y within ±3) would send
    at.session_state["ua_pad_injected"] = placed
    at.run()
    assert not at.exception and not at.error and not at.warning
    table = at.dataframe(key="ua_points_1").value
    assert table[["x", "y"]].values.tolist() == placed
    assert _pad_points(at) == placed

    # A typed edit in the table reaches the pad on the next run.
    at.session_state["ua_points_1"] = {
        "edited_rows": {2: {"y": 4.5}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert _pad_points(at) == [[1.25, -3.0], [-1.5, 2.5], [0.0, 4.5]]
    assert _pad_data(at)["y_range"] == [-5.0, 5.0]  # the axis grew to show the typed point

    assert train_to_end(at, "ua").startswith(("Finished", "Stopped early"))
    xs, ys = run_stat(
        at, "ua", lambda r: (r.dataset.X_train[:, 0].tolist(), r.dataset.y_train.tolist())
    )
    assert xs == [-1.5, 0.0, 1.25]  # sorted by x
    assert ys == [2.5, 4.5, -3.0]


@pytest.mark.parametrize(
    ("placed", "message"),
    [
        ([[0.5, 1.0]], "at least two points"),
        ([[0.5, 1.0], [0.5, 2.0]], "share the same x"),
    ],
)
def test_universal_approximation_pad_points_meet_the_same_checks(placed, message):
    at = page("universal_approximation")
    at.radio(key="ua_target").set_value("points").run()
    at.session_state["ua_pad_injected"] = placed
    at.run()
    assert not at.exception
    assert message in at.error[0].value
    assert at.dataframe(key="ua_points_1").value[["x", "y"]].values.tolist() == placed
    assert "ua_train" not in [b.key for b in at.button]


def test_universal_approximation_clear_points_empties_pad_and_table():
    at = page("universal_approximation")
    at.radio(key="ua_target").set_value("points").run()
    at.button(key="ua_pad_clear").click().run()
    assert not at.exception
    assert "at least two points" in at.error[0].value
    assert at.dataframe(key="ua_points_1").value.empty and _pad_points(at) == []


def test_universal_approximation_huge_learning_rate_is_reported_not_raised():
    at = page("universal_approximation")
    at.select_slider(key="ua_lr").set_value(10.0).run()
    at.select_slider(key="ua_batch").set_value(256).run()
    at.selectbox(key="ua_optimizer").set_value("sgd").run()  # Adam's steps stay bounded at any lr
    at.button(key="ua_train").click().run()
    live = lab_session(at, "ua").live
    rerun_until(at, lambda: not live.running, "the run ending")
    assert not at.exception
    assert progress_text(at).startswith(EN("common.status.diverged"))
    (reported,) = texts(at, "error")
    assert reported.startswith("**Training diverged.**") and "learning rate" in reported


def test_universal_approximation_every_choice():
    at = page("universal_approximation")
    choose_each(at, "radio", "ua_target", [*TARGETS, "points"])
    choose_each(at, "selectbox", "ua_activation", BUILDER_ACTIVATIONS)
    choose_each(at, "selectbox", "ua_optimizer", SPEC.optimizers)
    for end in ("max", "min"):
        seed = at.number_input(key="ua_seed")
        seed.set_value(seed.max if end == "max" else seed.min).run()
        assert not at.exception


def test_universal_approximation_widest_network_shows_every_unit_term():
    at = page("universal_approximation")
    at.radio(key="ua_target").set_value("step")
    at.slider(key="ua_neurons").set_value(64)
    at.slider(key="ua_epochs").set_value(10).run()
    at.button(key="ua_train").click().run()
    # The unit terms are drawn once the trainer has its slot and a step: wait on that, not on
    # a count of reruns (how many it takes depends on the machine).
    rerun_until(
        at,
        lambda: "Each hidden unit's contribution" in {_title(c) for c in at.get("plotly_chart")},
        "the unit terms' chart",
    )
    assert not at.exception
    charts = {_title(c): c for c in at.get("plotly_chart")}
    units = charts["Each hidden unit's contribution"]
    assert chart_is_finite(units) and chart_is_finite(charts["Target and fit"])
    names = [t.get("name") for t in json.loads(units.proto.spec)["data"]]
    assert "other 48 units (summed)" in names and "Σ + bias = F(x)" in names


def _title(chart) -> str:
    title = json.loads(chart.proto.spec)["layout"].get("title") or {}
    return title.get("text", "") if isinstance(title, dict) else str(title)


def test_universal_approximation_typed_points_survive_a_visit_to_another_page():
    at = page("universal_approximation")
    at.radio(key="ua_target").set_value("points").run()
    at.session_state["ua_points_0"] = {
        "edited_rows": {0: {"y": 0.75}},
        "added_rows": [{"x": 0.6, "y": -1.0}],
        "deleted_rows": [],
    }
    at.run()
    typed = DEFAULT_POINTS.tolist()
    typed[0][1] = 0.75
    typed.append([0.6, -1.0])
    assert _pad_points(at) == typed
    # Streamlit drops a widget's state while another page is shown, the table's edits with it.
    del at.session_state["ua_points_0"]
    at.run()
    assert not at.exception and not at.error
    assert _pad_points(at) == typed
    (editor,) = [df for df in at.dataframe if str(getattr(df, "key", "")).startswith("ua_points_")]
    assert editor.value[["x", "y"]].values.tolist() == typed


# The slides the page header quotes: deck 003's title 「用 Python 快速實現深層學習」 and
# its slide 「一層 hidden layer 的神經網路就是 Universal Approximator!」; and RMSE, the
# abbreviation the shared training panel's metric chart keeps in both languages.
ZH_ALLOWED = {"python", "hidden", "layer", "universal", "approximator", "rmse"}


def test_universal_approximation_in_zh_tw_shows_no_english_before_and_after_training():
    at = open_page("universal_approximation", "zh-TW")
    assert english_words(at, allowed=ZH_ALLOWED) == []
    at.slider(key="ua_epochs").set_value(10).run()
    at.button(key="ua_train").click().run()
    rerun_until(at, lambda: run_stat(at, "ua", lambda r: r.done), "the end of the run")
    at.run()
    assert not at.exception and english_words(at, allowed=ZH_ALLOWED) == []
    titles = {_title(c) for c in at.get("plotly_chart")}
    assert {"目標函數與擬合結果", "每個隱藏層神經元的貢獻"} <= titles

    at.button(key="ua_compare").click().run()
    live = at.session_state["ua_compare_session"].live

    def done() -> bool:
        with live.borrow() as group:
            return group.done

    rerun_until(at, done, "every N trained")
    at.run()
    assert not at.exception and english_words(at, allowed=ZH_ALLOWED) == []
    assert at.get("progress")[-1].proto.text == "所有 N：訓練週期 10/10"
    spec = json.loads(at.get("plotly_chart")[-1].proto.spec)
    assert spec["layout"]["annotations"][0]["text"].startswith("N = 1（損失 ")


def test_universal_approximation_points_in_zh_tw():
    at = open_page("universal_approximation", "zh-TW")
    at.radio(key="ua_target").set_value("points").run()
    assert not at.exception and english_words(at, allowed=ZH_ALLOWED) == []
    assert _pad_data(at)["label"].startswith("點選畫板：")
    assert at.button(key="ua_pad_clear").label == "清除所有點"
    at.session_state["ua_pad_injected"] = [[0.5, "1"]]  # what our pad never sends
    at.run()
    assert not at.exception and "有個座標不是數字" in at.warning[0].value
    assert english_words(at, allowed=ZH_ALLOWED) == []
    at.session_state["ua_pad_injected"] = [[-1.0, 0.5], [1.0, -0.5]]
    at.run()
    assert not at.warning and not at.error
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception and at.button(key="ua_pad_clear").label == "Clear points"
    assert _pad_points(at) == [[-1.0, 0.5], [1.0, -0.5]]
    assert at.radio(key="ua_target").value == "points"


def test_universal_approximation_switching_language_keeps_the_run_and_the_settings():
    at = page("universal_approximation")
    at.radio(key="ua_target").set_value("abs")
    at.slider(key="ua_neurons").set_value(4)
    at.slider(key="ua_epochs").set_value(10).run()
    assert train_to_end(at, "ua").startswith(("Finished", "Stopped early"))
    generation = lab_session(at, "ua").live.generation
    epochs = run_stat(at, "ua", lambda r: r.epoch)
    for lang, title in (("zh-TW", "目標函數與擬合結果"), ("en", "Target and fit")):
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception
        assert at.radio(key="ua_target").value == "abs"
        assert at.slider(key="ua_neurons").value == 4 and at.slider(key="ua_epochs").value == 10
        assert lab_session(at, "ua").live.generation == generation  # the same run, not a new one
        assert run_stat(at, "ua", lambda r: r.epoch) == epochs
        assert title in {_title(c) for c in at.get("plotly_chart")}
