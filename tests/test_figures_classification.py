"""Pure figure builders of the classifier labs: XOR's decision boundary and hidden units, confusion matrices."""

import numpy as np

from ui.figures.classification import (
    confusion_matrix_figure,
    decision_boundary_figure,
    hidden_units_figure,
)

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
    assert class0.name == "class 0" and list(class0.x) == [0.0, 1.0] and list(class0.y) == [0.0, 1.0]
    assert class1.name == "class 1" and list(class1.x) == [0.0, 1.0] and list(class1.y) == [1.0, 0.0]
    assert fig.layout.yaxis.scaleanchor == "x"  # one unit is as long on both axes


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
