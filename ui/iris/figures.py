"""Figures for the Iris lab: validation flowers in a 2-D view, coloured by the predicted class."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ui.i18n import ENGLISH, Translator
from ui.palette import BLACK, OKABE_ITO, VERMILLION

CLASS_COLORS = [OKABE_ITO[0], OKABE_ITO[1], OKABE_ITO[2], OKABE_ITO[3], OKABE_ITO[4]]
CLASS_SYMBOLS = ["circle", "diamond", "square", "triangle-up", "star"]


def pca_2d(X_fit: np.ndarray, *others: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Fit a 2-component PCA on X_fit (the training rows) and project X_fit and `others`.

    Returns ([projection of X_fit, projection of each other array], explained variance ratios).
    Needs at least two features.
    """
    from sklearn.decomposition import PCA  # imported only when the PCA view is shown

    X_fit = np.asarray(X_fit, dtype=np.float64)
    if X_fit.ndim != 2 or X_fit.shape[1] < 2:
        raise ValueError("A 2-D PCA needs at least two features.")
    pca = PCA(n_components=2, random_state=0).fit(X_fit)
    projections = [pca.transform(X_fit)] + [
        pca.transform(np.asarray(X, dtype=np.float64)) for X in others
    ]
    return projections, pca.explained_variance_ratio_


def class_scatter_figure(
    x: np.ndarray,
    y: np.ndarray,
    predicted: np.ndarray,
    true: np.ndarray,
    class_names: list[str],
    x_label: str,
    y_label: str,
    background: tuple[np.ndarray, np.ndarray] | None = None,
    title: str | None = None,
    *,
    tr: Translator = ENGLISH,
) -> go.Figure:
    """Points coloured by predicted class (symbol = true class); misclassified ones ringed in red.

    `background` (x, y) draws e.g. the training rows as faint grey dots for context.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    predicted, true = np.asarray(predicted).astype(int), np.asarray(true).astype(int)
    fig = go.Figure()
    if background is not None:
        fig.add_scatter(
            x=background[0],
            y=background[1],
            mode="markers",
            name=tr("iris.figures.training_rows"),
            marker=dict(color="lightgray", size=6),
            hoverinfo="skip",
        )
    names = [str(c) for c in class_names]
    for c, name in enumerate(names):
        mask = predicted == c
        fig.add_scatter(
            x=x[mask],
            y=y[mask],
            mode="markers",
            name=tr("iris.figures.predicted", name=name),
            marker=dict(
                color=CLASS_COLORS[c % len(CLASS_COLORS)],
                symbol=[CLASS_SYMBOLS[t % len(CLASS_SYMBOLS)] for t in true[mask]],
                size=10,
                line=dict(color=BLACK, width=0.6),
            ),
            customdata=[names[t] if 0 <= t < len(names) else str(t) for t in true[mask]],
            hovertemplate=tr("iris.figures.hover", name=name, x_label=x_label, y_label=y_label),
        )
    wrong = predicted != true
    fig.add_scatter(
        x=x[wrong],
        y=y[wrong],
        mode="markers",
        name=tr("iris.figures.misclassified", n=int(wrong.sum())),
        marker=dict(symbol="circle-open", size=20, color=VERMILLION, line=dict(width=2.5)),
        hoverinfo="skip",
    )
    # Fixed margins with the axes' automargin off, as on XOR's plane (ui.figures.classification):
    # redrawn live, its ticks are short numbers (centimetres or principal components, "-2.5"),
    # and 60 px hold them and an axis title.
    fig.update_layout(
        title=dict(text=title or tr("iris.figures.scatter_title")),
        height=430,
        margin=dict(l=60, r=10, t=40, b=60),
        xaxis=dict(title=dict(text=x_label), automargin=False),
        yaxis=dict(title=dict(text=y_label), automargin=False),
        legend=dict(orientation="h", y=-0.18),
    )
    return fig


def per_class_figure(report: list[dict], *, tr: Translator = ENGLISH) -> go.Figure:
    """Grouped bars of precision and recall per class (rows from models.per_class_report)."""
    classes = [r["class"] for r in report]
    fig = go.Figure()
    fig.add_bar(
        x=classes,
        y=[r["precision"] for r in report],
        name=tr("iris.figures.precision"),
        marker_color=OKABE_ITO[0],
        text=[f"{r['precision']:.2f}" for r in report],
        textposition="outside",
    )
    fig.add_bar(
        x=classes,
        y=[r["recall"] for r in report],
        name=tr("iris.figures.recall"),
        marker_color=OKABE_ITO[1],
        text=[f"{r['recall']:.2f}" for r in report],
        textposition="outside",
    )
    fig.update_layout(
        title=tr("iris.figures.per_class_title"),
        barmode="group",
        height=380,
        yaxis=dict(range=[0, 1.15], title=tr("iris.figures.score")),
        margin=dict(l=10, r=10, t=40, b=10),
        legend=dict(orientation="h", y=-0.18),
    )
    return fig


def species_scatter_figure(
    x: np.ndarray,
    y: np.ndarray,
    species: np.ndarray,
    class_names: list[str],
    x_label: str,
    y_label: str,
    title: str | None = None,
    *,
    tr: Translator = ENGLISH,
) -> go.Figure:
    """Rows by their true species (colour and symbol as in the other views), with each species' count.

    Shown before training. Every species gets a legend entry, with 0 when the
    split left it out, which is how the course split's failure shows up early.
    """
    x, y, species = (
        np.asarray(x, dtype=float),
        np.asarray(y, dtype=float),
        np.asarray(species).astype(int),
    )
    traces = []
    for c, name in enumerate(class_names):
        mask = species == c
        traces.append(
            dict(
                type="scatter",
                x=x[mask],
                y=y[mask],
                mode="markers",
                name=f"{name} ({int(mask.sum())})",
                marker=dict(
                    color=CLASS_COLORS[c % len(CLASS_COLORS)],
                    symbol=CLASS_SYMBOLS[c % len(CLASS_SYMBOLS)],
                    size=10,
                    line=dict(color=BLACK, width=0.6),
                ),
                hovertemplate=f"{name}<br>{x_label}=%{{x:.2f}}<br>{y_label}=%{{y:.2f}}"
                "<extra></extra>",
            )
        )
    return go.Figure(
        data=traces,
        layout=dict(
            title=dict(text=title or tr("iris.figures.species_title")),
            height=430,
            margin=dict(l=10, r=10, t=40, b=10),
            xaxis=dict(title=dict(text=x_label)),
            yaxis=dict(title=dict(text=y_label)),
            legend=dict(orientation="h", y=-0.18),
        ),
    )
