"""Pure figure builders of the classifier labs: XOR's decision boundary and hidden units, confusion matrices."""

import numpy as np
import pytest
from plotly.subplots import make_subplots

from ui.figures.classification import (
    confusion_matrix_figure,
    data_points_figure,
    decision_boundary_figure,
    hidden_units_figure,
    subplot_grid,
)
from ui.i18n import Translator

XS = np.linspace(-1, 2, 7)
YS = np.linspace(-1, 2, 5)
CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])


def test_decision_boundary_has_the_probability_map_the_half_contour_and_each_class():
    prob = np.random.default_rng(0).random((len(YS), len(XS)))
    fig = decision_boundary_figure(XS, YS, prob, CORNERS, XOR_Y)
    heat, contour, class0, class1 = fig.data
    assert heat.type == "heatmap" and (heat.zmin, heat.zmax) == (0, 1)
    assert np.array_equal(np.asarray(heat.z), prob)
    assert contour.type == "contour" and contour.contours.start == contour.contours.end == 0.5
    assert (
        class0.name == "class 0" and list(class0.x) == [0.0, 1.0] and list(class0.y) == [0.0, 1.0]
    )
    assert (
        class1.name == "class 1" and list(class1.x) == [0.0, 1.0] and list(class1.y) == [1.0, 0.0]
    )
    assert fig.layout.yaxis.scaleanchor == "x"  # one unit is as long on both axes


def test_data_points_are_drawn_as_on_the_boundary_over_the_same_plane():
    prob = np.zeros((len(YS), len(XS)))
    before = data_points_figure(CORNERS, XOR_Y, plane=(-0.5, 1.5))
    after = decision_boundary_figure(XS, YS, prob, CORNERS, XOR_Y)
    for b, a in zip(before.data, after.data[2:], strict=True):
        assert (b.name, b.marker.to_plotly_json()) == (a.name, a.marker.to_plotly_json())
        np.testing.assert_array_equal(b.x, a.x)
        np.testing.assert_array_equal(b.y, a.y)
    assert tuple(before.layout.xaxis.range) == tuple(before.layout.yaxis.range) == (-0.5, 1.5)
    # A noisy point outside the plane widens both axes, by the same margin, so it stays in view.
    cloud = np.vstack([CORNERS, [[2.5, -1.0]]])
    lo, hi = data_points_figure(cloud, np.append(XOR_Y, 1), plane=(-0.5, 1.5)).layout.xaxis.range
    assert lo < -1.0 and hi > 2.5 and np.isclose(-1.0 - lo, hi - 2.5)
    assert (
        data_points_figure(CORNERS, XOR_Y).layout.xaxis.range is None
    )  # no plane: plotly's autorange


def test_hidden_units_one_heatmap_per_unit_per_layer_capped_at_max_units():
    n = len(XS) * len(YS)
    layer1 = np.arange(n * 3, dtype=float).reshape(n, 3)
    layer2 = np.ones((n, 10))
    fig = hidden_units_figure(XS, YS, [layer1, layer2], max_units=8)
    heatmaps = [t for t in fig.data if t.type == "heatmap"]
    assert len(heatmaps) == 3 + 8
    # each unit's activations are laid out on the grid: rows along y, columns along x
    assert np.array_equal(np.asarray(heatmaps[1].z), layer1[:, 1].reshape(len(YS), len(XS)))
    titles = [a.text for a in fig.layout.annotations]
    assert "L1 unit 3" in titles and "L2 unit 8" in titles and "L2 unit 9" not in titles


def test_confusion_matrix_prints_counts_with_true_rows_and_predicted_columns():
    cm = np.array([[5, 1, 0], [0, 4, 2], [0, 0, 6]])
    names = ["setosa", "versicolor", "virginica"]
    fig = confusion_matrix_figure(cm, names)
    (heat,) = fig.data
    assert list(heat.x) == names and list(heat.y) == names
    assert np.array_equal(np.asarray(heat.z), cm) and heat.texttemplate == "%{text}"
    assert fig.layout.xaxis.title.text == "predicted" and fig.layout.yaxis.title.text == "true"
    assert fig.layout.yaxis.autorange == "reversed"  # the first class on top, as in a table


@pytest.mark.parametrize("rows,cols", [(1, 1), (1, 3), (2, 5), (4, 8)])
def test_subplot_grid_lays_out_axes_as_plotlys_make_subplots(rows, cols):
    layout, refs = subplot_grid(rows, cols, h_spacing=0.02, v_spacing=0.12)
    reference = make_subplots(
        rows=rows, cols=cols, horizontal_spacing=0.02, vertical_spacing=0.12
    ).layout
    for k in range(1, rows * cols + 1):
        name = "" if k == 1 else str(k)
        for axis in ("xaxis", "yaxis"):
            assert layout[axis + name]["domain"] == pytest.approx(
                list(reference[axis + name].domain), abs=1e-9
            )
            assert layout[axis + name]["anchor"] == reference[axis + name].anchor
    assert refs[0] == ("x", "y") and refs[-1] == (
        f"x{rows * cols if rows * cols > 1 else ''}",
        f"y{rows * cols if rows * cols > 1 else ''}",
    )


def test_hidden_unit_titles_sit_above_their_own_map():
    n = len(XS) * len(YS)
    fig = hidden_units_figure(XS, YS, [np.zeros((n, 3)), np.zeros((n, 2))], max_units=8)
    reference = make_subplots(
        rows=2,
        cols=3,
        horizontal_spacing=0.02,
        vertical_spacing=0.12,
        subplot_titles=["L1 unit 1", "L1 unit 2", "L1 unit 3", "L2 unit 1", "L2 unit 2", ""],
    )
    ours = {a.text: (a.x, a.y) for a in fig.layout.annotations}
    theirs = {a.text: (a.x, a.y) for a in reference.layout.annotations}
    assert ours.keys() == {t for t in theirs if t}
    for text, xy in ours.items():
        assert xy == pytest.approx(theirs[text])
    # each heatmap is drawn on the axes of its own cell: layer 2's first unit starts row 2
    assert (fig.data[3].xaxis, fig.data[3].yaxis) == ("x4", "y4")


ZH = Translator("zh-TW")


def test_the_builders_speak_the_translators_language_and_english_by_default():
    prob = np.zeros((len(YS), len(XS)))
    boundary = decision_boundary_figure(XS, YS, prob, CORNERS, XOR_Y, tr=ZH)
    assert boundary.layout.title.text == ZH("plots.boundary.title")
    assert [t.name for t in boundary.data[2:]] == ["類別 0", "類別 1"]
    assert (boundary.layout.xaxis.title.text, boundary.layout.yaxis.title.text) == ("x₁", "x₂")
    points = data_points_figure(CORNERS, XOR_Y, tr=ZH)
    assert points.layout.title.text == ZH("plots.boundary.data_title")
    n = len(XS) * len(YS)
    hidden = hidden_units_figure(XS, YS, [np.zeros((n, 2))], tr=ZH)
    assert [a.text for a in hidden.layout.annotations] == ["L1 神經元 1", "L1 神經元 2"]
    assert "越亮" in hidden.layout.title.text
    cm = np.eye(3, dtype=int)
    zh = confusion_matrix_figure(cm, ["setosa", "versicolor", "virginica"], tr=ZH)
    assert zh.layout.title.text == "混淆矩陣"
    assert (zh.layout.xaxis.title.text, zh.layout.yaxis.title.text) == ("預測", "實際")
    assert "%{y}" in zh.data[0].hovertemplate and "實際" in zh.data[0].hovertemplate
    # English by default, and a title passed positionally (as the MNIST lab does) wins.
    assert confusion_matrix_figure(cm, list("abc")).layout.title.text == "Confusion matrix"
    assert (
        confusion_matrix_figure(cm, list("abc"), "On MNIST", tr=ZH).layout.title.text == "On MNIST"
    )
    assert decision_boundary_figure(XS, YS, prob, CORNERS, XOR_Y).layout.title.text.startswith(
        "Decision boundary"
    )


def test_the_live_plane_and_hidden_unit_maps_keep_fixed_margins():
    # Redrawn while a run trains: automargin made the browser measure every tick label and
    # lay the chart out again (bench/README.md, "Live training loop", twenty-fifth session).
    figures = [
        decision_boundary_figure(XS, YS, np.zeros((len(YS), len(XS))), CORNERS, XOR_Y),
        data_points_figure(CORNERS, XOR_Y, (-0.5, 1.5)),
        hidden_units_figure(XS, YS, [np.zeros((len(XS) * len(YS), 3))]),
    ]
    for fig in figures:
        axes = [fig.layout[name] for name in fig.layout if name.startswith(("xaxis", "yaxis"))]
        assert axes and all(axis.automargin is False for axis in axes)
    plane = figures[0].layout
    # Room for the plane's tick labels and axis titles, which no longer widen the margins.
    assert plane.margin.l >= 50 and plane.margin.b >= 50


def test_the_plane_stays_square_by_narrowing_the_plot_not_widening_its_range():
    # Widening the x range to keep x₁ and x₂ at one scale left white strips beside the grid.
    xs = ys = np.linspace(-0.5, 1.5, 5)
    fig = decision_boundary_figure(xs, ys, np.zeros((5, 5)), np.zeros((0, 2)), np.zeros(0))
    assert fig.layout.yaxis.scaleanchor == "x"
    assert fig.layout.xaxis.constrain == fig.layout.yaxis.constrain == "domain"
