"""AppTests for the Iris lab: accuracy, confusion matrix, per-class report, the course split's failure."""

import pytest

from tests.apptest.helpers import (
    charts,
    open_page,
    push_sliders,
    set_widget,
    texts,
    train_to_end,
)


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
    why = next(e for e in texts(at, "error") if "Why validation accuracy collapses" in e)
    assert "50 setosa, 20 versicolor, 0 virginica" in why
    assert "virginica" in why and "Recommended" in why


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
