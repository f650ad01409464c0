"""Figure builders of the backprop, optimizer and universal-approximation labs."""

import re

import numpy as np
import plotly.graph_objects as go
import pytest
import torch
from torch import nn

from lessons.backprop import Params, autograd_gradients, backward, forward
from lessons.loss_surfaces import SURFACES, get_surface
from lessons.optimizer_paths import compare, run_path
from lessons.universal_approximation import make_dataset, unit_contributions
from ui.concepts.backprop.controls import DEFAULT_PARAMS
from ui.concepts.backprop.figures import (
    backward_latex,
    forward_latex,
    loss_history_figure,
    network_figure,
    parameter_rows,
)
from ui.concepts.optimizers.figures import loss_curves_figure, paths_figure
from ui.concepts.universal_approximation.figures import compare_figure, fit_figure, units_figure
from ui.i18n import Translator


def _colors(fig: go.Figure) -> set[str]:
    return {t.line.color for t in fig.data if getattr(t, "line", None) and t.line.color}


def test_backprop_views():
    rng = np.random.default_rng(0)
    params = Params.from_flat(rng.normal(size=9))
    fwd = forward(params, [0.5, -1.0], 0.3)
    grads = backward(params, fwd)
    rows = parameter_rows(params, grads, autograd_gradients(params, [0.5, -1.0], 0.3), lr=0.1)
    assert len(rows) == 9
    for row in rows:
        assert row["∂L/∂w (chain rule)"] == pytest.approx(row["∂L/∂w (torch.autograd)"], abs=1e-12)
        assert row["w − η ∂L/∂w"] == pytest.approx(row["w"] - 0.1 * row["∂L/∂w (chain rule)"])
    lines = forward_latex(params, fwd, "sigmoid", "linear") + backward_latex(
        params, fwd, grads, np.ones(2)
    )
    assert len(lines) == 12 and all(line.count("{") == line.count("}") for line in lines)
    assert f"{fwd.loss:.4g}" in lines[4]
    fig = network_figure(params, fwd, grads)
    assert len(fig.layout.annotations) == 6  # one label per weight
    assert len(loss_history_figure([1.0, 0.5, 0.2]).data[0].y) == 3


def _unit(printed: str) -> float:
    """One unit in the last digit of a printed number ("0.9686" -> 0.0001)."""
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    return 10.0**-decimals


@pytest.mark.parametrize("seed", [None, 0, 1, 2])
def test_the_printed_arithmetic_adds_up_at_the_printed_precision(seed):
    # ŷ was printed to 4 digits while its results were exact: "1.169 − 0.2 = 0.9686".
    flat = DEFAULT_PARAMS if seed is None else np.random.default_rng(seed).normal(size=9)
    params = Params.from_flat(flat)
    fwd = forward(params, [0.5, 1.0], 0.2)
    grads = backward(params, fwd)
    loss_line = forward_latex(params, fwd, "sigmoid", "linear")[-1]
    y_hat, y, loss = re.search(r"\\tfrac12\((\S+) - (\S+)\)\^2 = (\S+)$", loss_line).groups()
    assert abs(0.5 * (float(y_hat) - float(y)) ** 2 - float(loss)) <= _unit(loss)
    grad_line = backward_latex(params, fwd, grads, np.ones(2))[0]
    y_hat, y, dz = re.search(
        r"= (\S+) - (\S+) = \\begin\{bmatrix\}(\S+)\\end\{bmatrix\}$", grad_line
    ).groups()
    assert abs(float(y_hat) - float(y) - float(dz)) <= _unit(dz)


@pytest.mark.parametrize("surface", list(SURFACES))
def test_paths_figure_one_panel_per_optimizer(surface):
    s = SURFACES[surface]
    paths = compare(s, dict(s.suggested_lr[:3]), steps=20)
    fig = paths_figure(s, paths, upto=5, grid=30)
    contours = [t for t in fig.data if isinstance(t, go.Contour)]
    assert len(contours) == 3
    drawn = [t for t in fig.data if t.name in {p.label for p in paths}]
    assert [len(t.x) for t in drawn] == [6, 6, 6]
    assert tuple(fig.layout.xaxis.range) == s.x_range
    # Equal units on both axes in every panel, so a round bowl is drawn round.
    axes = [fig.layout[f"xaxis{i}"] for i in ("", 2, 3)]
    anchors = [(a.scaleanchor, a.scaleratio) for a in axes]
    assert anchors == [("y", 1), ("y2", 1), ("y3", 1)]
    # ... by shrinking the panels, not by widening the y range past the surface (white bands
    # where a diverging path was drawn on nothing).
    assert all(fig.layout[f"yaxis{i}"].constrain == "domain" for i in ("", 2, 3))
    assert tuple(fig.layout.yaxis.range) == s.y_range


def test_paths_figure_survives_a_diverged_path():
    s = get_surface("Rosenbrock")
    path = run_path(s, "sgd", 1.0, steps=50)
    assert path.diverged
    fig = paths_figure(s, [path], grid=20)
    assert all(np.isfinite(t.x).all() for t in fig.data if isinstance(t, go.Scatter))
    assert loss_curves_figure([path]).layout.yaxis.type == "log"


def test_loss_curves_linear_when_loss_goes_negative():
    s = get_surface("Saddle")  # its minima are at L = -1
    fig = loss_curves_figure(compare(s, {"adam": 0.1}, steps=50))
    assert fig.layout.yaxis.type == "linear"


def test_universal_approximation_figures():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(1, 20), nn.Tanh(), nn.Linear(20, 1))
    x = np.linspace(-2, 2, 30)
    contrib = unit_contributions(model, x)
    fig = units_figure(contrib, max_units=5)
    names = [t.name for t in fig.data]
    assert sum(n.startswith("unit ") for n in names) == 5
    assert "other 15 units (summed)" in names
    # The drawn pieces still add up to F(x).
    pieces = sum(np.array(t.y) for t in fig.data[:-1])
    np.testing.assert_allclose(pieces + contrib.bias, fig.data[-1].y, atol=1e-5)

    ds = make_dataset("sin", n_train=16)
    fig = fit_figure(x, np.sin(np.pi * x), ds.X_train[:, 0], ds.y_train, contrib.total)
    assert [t.name for t in fig.data] == ["training samples", "target f(x)", "network F(x)"]
    fits = [(n, contrib.total, 0.1) for n in (1, 2, 4, 8)]
    fig = compare_figure(x, None, ds.X_train[:, 0], ds.y_train, fits, points_mode=True)
    assert len(fig.layout.annotations) == 4  # one title per N
    assert sum(t.showlegend is not False for t in fig.data) == 2


ZH = Translator("zh-TW")


def test_backprop_views_in_zh_tw():
    params = Params.from_flat(np.linspace(-1, 1, 9))
    fwd = forward(params, [0.5, -1.0], 0.3)
    grads = backward(params, fwd)
    ref = autograd_gradients(params, [0.5, -1.0], 0.3)
    (row, *_) = parameter_rows(params, grads, ref, lr=0.1, tr=ZH)
    assert list(row) == ["參數", "w", "∂L/∂w（連鎖法則）", "∂L/∂w（torch.autograd）", "w − η ∂L/∂w"]
    fig = loss_history_figure([1.0, 0.5], tr=ZH)
    assert fig.layout.xaxis.title.text == "更新次數" and fig.data[0].name == "損失"


def test_optimizer_figures_in_zh_tw():
    s = get_surface("Bowl")
    paths = compare(s, {"sgd": 0.1}, steps=5)
    fig = paths_figure(s, paths, grid=10, tr=ZH)
    assert {"最小值", "起點"} <= {t.name for t in fig.data}
    assert fig.layout.annotations[0].text == "SGD（η = 0.1）"
    assert paths_figure(s, [], grid=10, tr=ZH, surface_name="碗形").layout.annotations[0].text == (
        "碗形"
    )
    assert loss_curves_figure(paths, tr=ZH).layout.xaxis.title.text == "步數"


def test_universal_approximation_figures_in_zh_tw():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(1, 6), nn.Tanh(), nn.Linear(6, 1))
    x = np.linspace(-2, 2, 30)
    contrib = unit_contributions(model, x)
    fig = units_figure(contrib, max_units=4, tr=ZH)
    names = [t.name for t in fig.data]
    assert "其他 2 個神經元（加總）" in names and names[-1] == "Σ + 偏值 = F(x)"
    assert "%{y:.3f}" in fig.data[0].hovertemplate  # Plotly's placeholders survive the lookup
    assert fig.layout.title.text == "每個隱藏層神經元的貢獻"
    ds = make_dataset("sin", n_train=8)
    fig = fit_figure(x, np.sin(np.pi * x), ds.X_train[:, 0], ds.y_train, contrib.total, tr=ZH)
    assert [t.name for t in fig.data] == ["訓練資料點", "目標函數 f(x)", "神經網路 F(x)"]
    fig = compare_figure(x, None, ds.X_train[:, 0], ds.y_train, [(4, contrib.total, 0.5)], True, ZH)
    assert fig.layout.annotations[0].text == "N = 4（損失 0.5）"
    assert fig.data[0].name == "你的點"
