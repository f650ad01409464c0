"""Figures and LaTeX for the backprop lab (pure: no streamlit)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lessons.activation_stats import LABELS
from lessons.backprop import PARAM_NAMES, Forward, Gradients, Params
from ui.concepts.layout import latex_matrix as M
from ui.concepts.layout import latex_number as N
from ui.concepts.layout import style
from ui.i18n import ENGLISH, Translator
from ui.palette import BLUE, GREEN, ORANGE, VERMILLION

# Node positions of the 2-2-1 diagram: inputs left, hidden middle, output right.
_POS = {"x1": (0, 1), "x2": (0, 0), "h1": (1, 1), "h2": (1, 0), "y": (2, 0.5)}
# The diagram's width is the page's (358 px on a phone, ~480 on a laptop), its height is fixed, and
# nodes are markers of a fixed size in pixels: a label placed a fraction along its edge landed on
# a node on a phone (x₁'s value, h₁'s bias and h₂'s z were hidden). So every label sits in a
# horizontal band that no node reaches, at any width: above the top row, below the bottom row, or
# between the rows (y range and height chosen so that one unit is ~230 px, the gaps ~35 px).
_NODE = 78  # marker size, px
_HEIGHT = 420
_Y_RANGE = [-0.36, 1.36]
# Where each weight's label goes: a point (data units), the label's side there (bottom, top or
# middle) and a shift in px. A horizontal edge's label sits above (below) its row's circles.
_LABEL_AT = {
    "W1[1,1]": ((0.5, 1), "bottom", _NODE // 2 + 5),
    "W1[1,2]": ((1 / 3, 2 / 3), "middle", 0),
    "W1[2,1]": ((1 / 3, 1 / 3), "middle", 0),
    "W1[2,2]": ((0.5, 0), "top", -(_NODE // 2 + 5)),
    "W2[1]": ((1.5, 0.75), "middle", 0),
    "W2[2]": ((1.5, 0.25), "middle", 0),
}


def parameter_labels() -> list[str]:
    """Names of the 9 parameters in Params.flat() order, as the tables and inputs show them.

    B for a bias, as in the slides' Z = XW + B and the page's B⁽¹⁾.
    """
    return ["W1[1,1]", "W1[1,2]", "W1[2,1]", "W1[2,2]", "B1[1]", "B1[2]", "W2[1]", "W2[2]", "B2"]


def parameter_rows(
    params: Params, grads: Gradients, reference: Gradients, lr: float, tr: Translator = ENGLISH
) -> list[dict]:
    """One row per parameter: value, ∂L/∂w by hand and by autograd, and the updated value."""
    flat = params.flat()
    mine = np.concatenate([np.ravel(getattr(grads, n)) for n in PARAM_NAMES])
    ref = np.concatenate([np.ravel(getattr(reference, n)) for n in PARAM_NAMES])
    return [
        {
            tr("backprop.table.parameter"): name,
            "w": w,
            tr("backprop.table.chain_rule"): g,
            tr("backprop.table.autograd"): r,
            "w − η ∂L/∂w": w - lr * g,
        }
        for name, w, g, r in zip(parameter_labels(), flat, mine, ref, strict=True)
    ]


def forward_latex(params: Params, fwd: Forward, activation: str, output: str) -> list[str]:
    """The forward pass, one LaTeX line per layer, with the numbers plugged in."""
    out_line = (
        rf"\hat y = Z^{{(2)}} = {N(fwd.y_hat, 5)}"
        if output == "linear"
        else rf"\hat y = \sigma(Z^{{(2)}}) = {N(fwd.y_hat, 5)}"
    )
    loss_line = (
        rf"L = \tfrac12(\hat y - y)^2 = \tfrac12({N(fwd.y_hat, 5)} - {N(fwd.y)})^2 = {N(fwd.loss)}"
        if output == "linear"
        else rf"L = -[y\ln\hat y + (1-y)\ln(1-\hat y)] = {N(fwd.loss)}"
    )
    return [
        rf"Z^{{(1)}} = X W^{{(1)}} + B^{{(1)}} = {M(fwd.x)} {M(params.W1)} + {M(params.b1)} = {M(fwd.Z1)}",
        rf"H^{{(1)}} = G(Z^{{(1)}}) = \text{{{LABELS.get(activation, activation)}}}({M(fwd.Z1)}) = {M(fwd.H1)}",
        rf"Z^{{(2)}} = H^{{(1)}} W^{{(2)}} + B^{{(2)}} = {M(fwd.H1)} {M(params.W2)} + {M(params.b2)} = {M(fwd.Z2)}",
        out_line,
        loss_line,
    ]


def backward_latex(params: Params, fwd: Forward, grads: Gradients, dG: np.ndarray) -> list[str]:
    """The backward pass, one LaTeX line per chain-rule step, as the slides derive it.

    dG is G'(Z1), the activation's slope at the hidden pre-activations.
    """
    d = r"\frac{\partial L}{\partial %s}"
    return [
        rf"{d % 'Z^{(2)}'} = \hat y - y = {N(fwd.y_hat, 5)} - {N(fwd.y)} = {M(grads.Z2)}",
        rf"{d % 'W^{(2)}'} = H^{{(1)\top}} {d % 'Z^{(2)}'} = {M(fwd.H1.reshape(2, 1))} {M(grads.Z2)} = {M(grads.W2)}",
        rf"{d % 'B^{(2)}'} = {d % 'Z^{(2)}'} = {M(grads.b2)}",
        rf"{d % 'H^{(1)}'} = {d % 'Z^{(2)}'}\, W^{{(2)\top}} = {M(grads.Z2)} {M(params.W2.T)} = {M(grads.H1)}",
        rf"{d % 'Z^{(1)}'} = {d % 'H^{(1)}'} \odot G'(Z^{{(1)}}) = {M(grads.H1)} \odot {M(dG)} = {M(grads.Z1)}",
        rf"{d % 'W^{(1)}'} = X^{{\top}} {d % 'Z^{(1)}'} = {M(fwd.x.reshape(2, 1))} {M(grads.Z1)} = {M(grads.W1)}",
        rf"{d % 'B^{(1)}'} = {d % 'Z^{(1)}'} = {M(grads.b1)}",
    ]


def network_figure(params: Params, fwd: Forward, grads: Gradients | None = None) -> go.Figure:
    """The 2-2-1 network: edges labelled with weights (and ∂L/∂w), nodes with their values.

    Edge width grows with |w|; blue edges are positive weights, orange negative.
    """
    fig = go.Figure()
    edges = [("x1", "h1", (0, 0)), ("x1", "h2", (0, 1)), ("x2", "h1", (1, 0)), ("x2", "h2", (1, 1))]
    for src, dst, (i, j) in edges:
        g = None if grads is None else grads.W1[i, j]
        _edge(fig, src, dst, params.W1[i, j], g, f"W1[{i + 1},{j + 1}]")
    for i, src in enumerate(("h1", "h2")):
        g = None if grads is None else grads.W2[i, 0]
        _edge(fig, src, "y", params.W2[i, 0], g, f"W2[{i + 1}]")
    labels = {
        "x1": f"x₁ = {fwd.x[0]:.3g}",
        "x2": f"x₂ = {fwd.x[1]:.3g}",
        "h1": f"z = {fwd.Z1[0]:.3g}<br>h = {fwd.H1[0]:.3g}<br>b = {params.b1[0]:.3g}",
        "h2": f"z = {fwd.Z1[1]:.3g}<br>h = {fwd.H1[1]:.3g}<br>b = {params.b1[1]:.3g}",
        "y": f"ŷ = {fwd.y_hat:.3g}<br>y = {fwd.y:.3g}<br>b = {params.b2[0]:.3g}",
    }
    xs, ys = zip(*(_POS[n] for n in labels), strict=True)
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers+text",
            text=list(labels.values()),
            textposition="middle center",
            marker=dict(size=_NODE, color="white", line=dict(color=GREEN, width=2)),
            textfont=dict(size=12, color="black"),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.update_xaxes(visible=False, range=[-0.35, 2.35])
    fig.update_yaxes(visible=False, range=_Y_RANGE)
    return style(fig, height=_HEIGHT, margin=dict(l=10, r=10, t=10, b=10))


def _edge(fig: go.Figure, src: str, dst: str, w: float, g: float | None, name: str) -> None:
    (x0, y0), (x1, y1) = _POS[src], _POS[dst]
    fig.add_trace(
        go.Scatter(
            x=[x0, x1],
            y=[y0, y1],
            mode="lines",
            hoverinfo="skip",
            showlegend=False,
            line=dict(color=BLUE if w >= 0 else ORANGE, width=1 + 3 * min(abs(w), 3)),
        )
    )
    text = f"{name} = {w:.3g}" + (
        "" if g is None else f"<br><span style='color:{VERMILLION}'>∂L/∂w = {g:.3g}</span>"
    )
    (x, y), anchor, shift = _LABEL_AT[name]
    fig.add_annotation(
        x=x,
        y=y,
        yanchor=anchor,
        yshift=shift,
        text=text,
        showarrow=False,
        bgcolor="rgba(255,255,255,0.85)",
        font=dict(size=11),
    )


def loss_history_figure(losses: list[float], tr: Translator = ENGLISH) -> go.Figure:
    """Loss after each iteration of forward → backward → update."""
    fig = go.Figure(
        go.Scatter(
            x=list(range(len(losses))),
            y=losses,
            mode="lines+markers",
            line=dict(color=BLUE, width=2),
            name=tr("backprop.history.trace"),
        )
    )
    fig.update_xaxes(title_text=tr("backprop.history.x"), rangemode="tozero")
    fig.update_yaxes(title_text=tr("backprop.history.y"), rangemode="tozero")
    return style(fig, height=300)
