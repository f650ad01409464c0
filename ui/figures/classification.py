"""Figures for classifiers: decision boundaries, hidden units, confusion matrices."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ui.palette import BLUE, DIVERGING, ORANGE, SEQUENTIAL

CLASS_SYMBOLS = ["circle", "x", "diamond", "square", "triangle-up"]


def decision_boundary_figure(
    xs: np.ndarray, ys: np.ndarray, prob: np.ndarray, X: np.ndarray, y: np.ndarray,
    title: str = "Decision boundary: P(class 1) over the input plane",
) -> go.Figure:
    """Heatmap of P(class 1) on a grid (prob shaped (len(ys), len(xs))), the 0.5 contour, and the points."""
    fig = go.Figure()
    fig.add_heatmap(x=xs, y=ys, z=prob, zmin=0, zmax=1, colorscale=DIVERGING, colorbar=dict(title="P(1)"))
    fig.add_contour(x=xs, y=ys, z=prob, contours=dict(start=0.5, end=0.5, coloring="none"),
                    line=dict(color="black", width=2), showscale=False, name="P = 0.5", hoverinfo="skip")
    for cls, color in ((0, BLUE), (1, ORANGE)):
        mask = y == cls
        fig.add_scatter(x=X[mask, 0], y=X[mask, 1], mode="markers", name=f"class {cls}",
                        marker=dict(color=color, symbol=CLASS_SYMBOLS[cls], size=11, line=dict(color="black", width=1.5)))
    fig.update_layout(title=title, height=420, margin=dict(l=10, r=10, t=40, b=10),
                      xaxis_title="x₁", yaxis_title="x₂", legend=dict(orientation="h", y=-0.15))
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    return fig


def hidden_units_figure(xs: np.ndarray, ys: np.ndarray, activations: list[np.ndarray], max_units: int = 8) -> go.Figure:
    """One small heatmap per hidden unit: its activation over the input plane (TF Playground style).

    `activations` holds one (len(ys)*len(xs), units) array per hidden layer; one row per layer.
    """
    n_rows = max(1, len(activations))
    n_cols = max(1, min(max_units, max((a.shape[1] for a in activations), default=1)))
    titles = [f"L{i + 1} unit {j + 1}" if j < a.shape[1] else "" for i, a in enumerate(activations)
              for j in range(n_cols)]
    fig = make_subplots(rows=n_rows, cols=n_cols, subplot_titles=titles or None,
                        horizontal_spacing=0.02, vertical_spacing=0.12)
    for i, acts in enumerate(activations):
        for j in range(min(n_cols, acts.shape[1])):
            z = acts[:, j].reshape(len(ys), len(xs))
            fig.add_heatmap(x=xs, y=ys, z=z, colorscale=SEQUENTIAL, showscale=False, row=i + 1, col=j + 1,
                            hovertemplate="x₁=%{x:.2f}<br>x₂=%{y:.2f}<br>h=%{z:.3f}<extra></extra>")
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(showticklabels=False)
    fig.update_layout(height=140 * n_rows + 60, margin=dict(l=10, r=10, t=40, b=10),
                      title="What each hidden unit computes (bright = high activation)")
    return fig


def confusion_matrix_figure(cm: np.ndarray, class_names: list[str], title: str = "Confusion matrix") -> go.Figure:
    """Counts with true classes as rows and predicted as columns, numbers printed in each cell."""
    fig = go.Figure(go.Heatmap(z=cm, x=class_names, y=class_names, colorscale="Blues", text=cm,
                               texttemplate="%{text}", showscale=False,
                               hovertemplate="true %{y}<br>predicted %{x}<br>%{z} examples<extra></extra>"))
    fig.update_layout(title=title, xaxis_title="predicted", yaxis_title="true", height=380,
                      margin=dict(l=10, r=10, t=40, b=10))
    fig.update_yaxes(autorange="reversed")
    return fig
