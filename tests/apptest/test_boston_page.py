"""AppTests for the Boston lab: metrics against the baselines, B's ethics note, divergence, slider ends, zh-TW."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest.helpers import (
    ROOT,
    charts,
    light_charts,
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
from ui.coach.words import restored_text
from ui.i18n import Translator

EN, ZH = Translator("en"), Translator("zh-TW")  # expected texts come from the catalogue


def test_loads_without_b_by_default():
    at = open_page("boston")
    features = next(m for m in at.multiselect if m.key == "boston_features").value
    assert len(features) == 12 and "B" not in features
    # The defaults bench/boston_baselines.py measured: weight decay 1e-4, early stopping after 30.
    assert at.select_slider(key="boston_wd").value == pytest.approx(1e-4)
    assert at.select_slider(key="boston_patience").value == 30
    assert any("MSELoss" in m for m in texts(at, "markdown"))
    assert any("Why B is off by default" in m for m in texts(at, "markdown"))


def test_before_training_linear_regression_is_shown_as_the_baseline_to_beat():
    at = open_page("boston")
    assert charts(at) == [
        {
            "title": "The baseline to beat: linear regression",
            "traces": ["y = x (perfect)", "Linear regression"],
        }
    ]
    # The training charts wait empty, the metric chart a regression's (RMSE and MAE).
    assert [c["title"] for c in light_charts(at)] == [
        EN("training_charts.loss_title"),
        EN("training_charts.error_title"),
        EN("training_charts.step_loss_title"),
    ]
    caption = next(c for c in texts(at, "caption") if "straight-line model" in c)
    set_widget(at, "boston_epochs", 5)
    at.run()
    train_to_end(at, "boston")
    table = next(df.value for df in at.dataframe if "RMSE ($1000s)" in df.value.columns)
    linear = table.set_index("model").loc["Linear regression", "RMSE ($1000s)"]
    assert (
        f"validation RMSE {linear:.2f}," in caption
    )  # the same baseline the results compare against


def test_short_run_shows_rmse_next_to_baselines():
    at = open_page("boston")
    set_widget(at, "boston_epochs", 10)
    set_widget(at, "boston_patience", 0)
    at.run()
    assert train_to_end(at, "boston").startswith("Finished · epoch 10/10")
    labels = {m.label for m in at.metric}
    assert {"Validation RMSE", "Validation MAE", "Validation R²"} <= labels
    table = next(df.value for df in at.dataframe if "RMSE ($1000s)" in df.value.columns)
    assert list(table["model"]) == ["Neural network", "Linear regression", "Gradient boosting"]
    assert (table["RMSE ($1000s)"] > 0).all()
    # loss, error per epoch, step loss, predicted vs actual, residuals, residual histogram
    assert len(at.get("plotly_chart")) == 6


def test_b_column_and_course_split_carry_their_notes():
    at = open_page("boston")
    features = next(m for m in at.multiselect if m.key == "boston_features")
    features.set_value([*features.value, "B"])
    set_widget(at, "boston_split", "course")
    set_widget(at, "boston_epochs", 10)
    at.run()
    train_to_end(at, "boston")
    infos = texts(at, "info")
    assert any("racist assumption" in i for i in infos)
    assert any("first 400 rows train" in i for i in infos)


def test_divergence_stops_with_an_explanation():
    at = open_page("boston")
    set_widget(at, "boston_optimizer", "sgd")
    set_widget(at, "boston_lr", 10.0)
    at.run()
    assert train_to_end(at, "boston").startswith("Diverged")
    # One voice: the coach's (ui/coach/), with the status first and where the weights went.
    (err,) = texts(at, "error")
    assert err.startswith(EN("common.diverged", reason=""))
    assert EN("coach.diverged.why") in err
    code, params = run_stat(at, "boston", lambda r: (r.stop_code, r.stop_params))
    restored = restored_text(code, params, EN)
    assert restored and restored in err
    assert at.button(key="boston_coach_try_diverged")


@pytest.mark.parametrize("end", ["min", "max"])
def test_sliders_at_their_ends_never_raise(end):
    at = open_page("boston")
    moved = push_sliders(at, end)
    assert "Early stopping: patience (epochs) ↻" in moved
    set_widget(at, "boston_epochs", 10)
    at.run()
    at.button(key="boston_train").click().run()
    at.run()
    assert not at.exception
    assert progress_text(at).startswith(("Training", "Finished", "Stopped early")), progress_text(
        at
    )
    at.button(key="boston_reset").click().run()  # stop its background trainer
    assert not at.exception


# --- Traditional Chinese (zh-TW) ---------------------------------------------------------------

# RMSE stays an abbreviation in Chinese, as in Taiwan's statistics courses (MAE and R² too,
# too short to count as words here).
ALLOWED = {"rmse"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _open_zh() -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "boston.py"), default_timeout=60)
    at.query_params["lang"] = "zh-TW"
    at.run()
    assert not at.exception, at.exception
    return at


def _train_until_done(at: AppTest) -> None:
    """Press Train and rerun until the run is done (the status line's words are the language's)."""
    at.button(key="boston_train").click().run()
    rerun_until(
        at, lambda: run_stat(at, "boston", lambda run: run.done), "the Boston run finishing"
    )
    at.run()
    assert not at.exception, at.exception


def test_zh_tw_page_and_its_views_after_training_show_no_english():
    at = _open_zh()
    assert english_words(at, allowed=ALLOWED) == []
    assert charts(at)[0]["traces"] == ["y = x（完全正確）", "線性迴歸"]
    assert any("為什麼預設不使用 B" in m for m in texts(at, "markdown"))
    features = next(m for m in at.multiselect if m.key == "boston_features")
    assert (
        "CRIM：城鎮人均犯罪率" in features.proto.help
    )  # the columns' names stay, their meaning is Chinese
    set_widget(at, "boston_epochs", 10)
    set_widget(at, "boston_patience", 0)
    at.run()
    assert at.select_slider(key="boston_patience").options[0] == "關閉"
    _train_until_done(at)
    assert english_words(at, allowed=ALLOWED) == []
    # The lab's own views: the metrics, the comparison table and its verdict, the residual plots.
    labels = {m.label for m in at.metric}
    assert {"驗證 RMSE", "驗證 MAE", "驗證 R²", "訓練週期數"} <= labels
    assert all("相對於線性迴歸" in m.proto.delta for m in at.metric if m.label.startswith("驗證"))
    table = next(df.value for df in at.dataframe if "RMSE（千美元）" in df.value.columns)
    assert list(table.columns) == ["模型", "RMSE（千美元）", "MAE（千美元）", "R²"]
    assert list(table["模型"]) == ["神經網路", "線性迴歸", "梯度提升"]
    # The verdict when the network beats the line, else the coach's worse_than_baseline.
    verdicts = [m for m in texts(at, "markdown") if CJK.search(m) and "線性迴歸" in m] + [
        w for w in texts(at, "warning") if w.endswith(ZH("coach.worse_than_baseline.why"))
    ]
    assert verdicts
    titles = [c["title"] for c in charts(at)]
    assert ZH("plots.regression.residual_title") in titles
    assert ZH("plots.regression.histogram_title") in titles


def test_b_column_and_course_split_notes_in_zh_tw():
    at = _open_zh()
    features = next(m for m in at.multiselect if m.key == "boston_features")
    features.set_value([*features.value, "B"])
    set_widget(at, "boston_split", "course")
    set_widget(at, "boston_epochs", 10)
    at.run()
    _train_until_done(at)
    infos = texts(at, "info")
    assert any("種族歧視的假設" in i for i in infos)
    assert any("前 400 筆當訓練資料" in i for i in infos)
    assert english_words(at, allowed=ALLOWED) == []


def test_switching_language_keeps_the_widgets_and_the_run():
    at = open_page("boston")
    chosen = ["RM", "LSTAT", "PTRATIO"]
    set_widget(at, "boston_features", chosen)
    set_widget(at, "boston_patience", 50)
    set_widget(at, "boston_show_linear", False)
    set_widget(at, "boston_epochs", 10)
    at.run()
    train_to_end(at, "boston")
    epoch = run_stat(at, "boston", lambda run: run.epoch)
    for lang in ("zh-TW", "en", "zh-TW"):
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception, at.exception
        features = next(m for m in at.multiselect if m.key == "boston_features").value
        assert features == chosen
        assert at.select_slider(key="boston_patience").value == 50
        assert at.toggle(key="boston_show_linear").value is False
        assert run_stat(at, "boston", lambda run: (run.done, run.epoch)) == (True, epoch)
        assert not any("↻" in w for w in texts(at, "warning"))  # still the same run's settings
    assert at.title[0].value.startswith("波士頓房價")
