"""AppTests for the Iris lab: accuracy, confusion matrix, per-class report, the coach on the course split, zh-TW."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest.helpers import (
    ROOT,
    charts,
    open_page,
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


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_loads_with_cross_entropy_and_summary():
    at = open_page("iris")
    assert any("CrossEntropyLoss" in m for m in texts(at, "markdown"))
    # 4 -> 16 -> 3: 80 + 51 parameters
    assert any("Total parameters: 131" in c for c in texts(at, "caption"))


def test_before_training_the_training_flowers_are_shown_by_species_with_their_counts():
    at = open_page("iris")
    (preview,) = charts(at)
    assert preview["title"] == "The 70 training flowers by species"
    counts = [int(name.rsplit("(", 1)[1].rstrip(")")) for name in preview["traces"]]
    assert len(counts) == 3 and sum(counts) == 70 and min(counts) > 0
    # The course split's first 70 rows: the preview already shows that virginica is missing.
    set_widget(at, "iris_split", "course")
    at.run()
    assert charts(at)[0]["traces"][2] == "virginica (0)"


def test_short_run_shows_accuracy_confusion_matrix_and_per_class_report():
    at = open_page("iris")
    set_widget(at, "iris_epochs", 20)
    at.run()
    assert train_to_end(at, "iris").startswith("Finished · epoch 20/20")
    assert float(_metric(at, "Validation accuracy").rstrip("%")) >= 80
    report = next(df.value for df in at.dataframe if "precision" in df.value.columns)
    assert list(report["class"]) == ["setosa", "versicolor", "virginica"]
    assert {"precision", "recall"} <= set(report.columns)
    # loss, accuracy, step loss, confusion matrix, scatter, precision/recall bars
    assert len(at.get("plotly_chart")) == 6
    # The PCA view of the same run.
    set_widget(at, "iris_view_x", "2-D PCA of the chosen features")
    at.run()
    assert not at.exception


def test_course_split_failure_is_explained_next_to_the_result():
    at = open_page("iris")
    set_widget(at, "iris_split", "course")
    set_widget(at, "iris_epochs", 10)
    at.run()
    train_to_end(at, "iris")
    assert float(_metric(at, "Validation accuracy").rstrip("%")) <= 37.5
    # The coach says why (class_missing), with the split's own counts.
    why = next(w for w in texts(at, "warning") if w.endswith(EN("coach.class_missing.why")))
    assert why.startswith(
        EN(
            "coach.class_missing.evidence",
            missing="virginica",
            unseen=50,
            n_valid=80,
            best_accuracy=0.375,
        )
    )
    assert at.button(key="iris_coach_try_class_missing").label == EN(
        "coach.class_missing.button", changes=EN("coach.setting.split")
    )


def test_no_features_gives_a_message_not_a_traceback():
    at = open_page("iris")
    set_widget(at, "iris_features", [])
    at.run()
    assert not at.exception
    assert any("at least one feature" in e for e in texts(at, "error"))


@pytest.mark.parametrize("end", ["min", "max"])
def test_sliders_at_their_ends_never_raise(end):
    at = open_page("iris")
    moved = push_sliders(at, end)
    assert len(moved) >= 7
    set_widget(at, "iris_epochs", 5)
    at.run()
    train_to_end(at, "iris")


# --- Traditional Chinese (zh-TW) ---------------------------------------------------------------

# The confusion matrix and scatter's hover templates name Plotly's per-point field
# (%{customdata}); it is never shown as a word.
ALLOWED = {"customdata"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _open_zh() -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "iris.py"), default_timeout=60)
    at.query_params["lang"] = "zh-TW"
    at.run()
    assert not at.exception, at.exception
    return at


def _train_until_done(at: AppTest) -> None:
    """Press Train and rerun until the run is done (the status line's words are the language's)."""
    at.button(key="iris_train").click().run()
    rerun_until(at, lambda: run_stat(at, "iris", lambda run: run.done), "the Iris run finishing")
    at.run()
    assert not at.exception, at.exception


def test_zh_tw_page_and_its_views_after_training_show_no_english():
    at = _open_zh()
    assert english_words(at) == []
    assert charts(at)[0]["title"] == ZH("iris.preview.title", n=70)
    features = next(m for m in at.multiselect if m.key == "iris_features")
    assert features.options == [
        "花萼長度（cm）",
        "花萼寬度（cm）",
        "花瓣長度（cm）",
        "花瓣寬度（cm）",
    ]
    set_widget(at, "iris_epochs", 20)
    at.run()
    _train_until_done(at)
    assert english_words(at, allowed=ALLOWED) == []
    assert _metric(at, "驗證準確率").endswith("%")
    # The per-class table: its columns in Chinese, the species' names as they are.
    report = next(df.value for df in at.dataframe if "精確率" in df.value.columns)
    assert list(report.columns) == ["類別", "精確率", "召回率", "F1", "樣本數"]
    assert list(report["類別"]) == ["setosa", "versicolor", "virginica"]
    assert all(CJK.search(c) for c in texts(at, "caption"))
    titles = [c["title"] for c in charts(at)]
    assert "混淆矩陣（驗證資料）" in titles and "各類別的精確率與召回率（驗證資料）" in titles
    set_widget(
        at, "iris_view_x", "2-D PCA of the chosen features"
    )  # the option's value stays English
    at.run()
    assert not at.exception
    assert english_words(at, allowed=ALLOWED) == []


def test_course_split_failure_is_explained_in_zh_tw():
    at = _open_zh()
    set_widget(at, "iris_split", "course")
    set_widget(at, "iris_epochs", 10)
    at.run()
    _train_until_done(at)
    why = next(w for w in texts(at, "warning") if w.endswith(ZH("coach.class_missing.why")))
    assert "virginica" in why and "37.5%" in why
    assert english_words(at, allowed=ALLOWED) == []


def test_no_features_message_in_zh_tw():
    at = _open_zh()
    set_widget(at, "iris_features", [])
    at.run()
    assert not at.exception
    assert any("至少選一個特徵" in e for e in texts(at, "error"))
    assert english_words(at) == []


def test_switching_language_keeps_the_widgets_and_the_run():
    at = open_page("iris")
    chosen = ["sepal length (cm)", "petal length (cm)", "petal width (cm)"]
    set_widget(at, "iris_features", chosen)
    set_widget(at, "iris_epochs", 10)
    at.run()
    train_to_end(at, "iris")
    set_widget(at, "iris_view_x", "2-D PCA of the chosen features")
    at.run()
    epoch = run_stat(at, "iris", lambda run: run.epoch)
    for lang in ("zh-TW", "en", "zh-TW"):
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception, at.exception
        assert next(m for m in at.multiselect if m.key == "iris_features").value == chosen
        assert at.selectbox(key="iris_view_x").value == "2-D PCA of the chosen features"
        assert run_stat(at, "iris", lambda run: (run.done, run.epoch)) == (True, epoch)
        assert not any("↻" in w for w in texts(at, "warning"))  # still the same run's settings
    assert at.title[0].value.startswith("鳶尾花")
