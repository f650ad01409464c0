"""Widgets for the activation lab; each `*_ui()` returns plain values."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from lessons.activation_stats import LAB_ORDER, LABELS
from ui.state import remember


@dataclass(frozen=True)
class CurveSettings:
    """What to plot: which activations, over which x range, with which leaky-ReLU slope."""

    names: list[str]
    lo: float
    hi: float
    alpha: float


@dataclass(frozen=True)
class ChainSettings:
    """The 1-neuron-wide deep chain used to show vanishing gradients."""

    depth: int
    x0: float
    weight: float


def curve_ui() -> CurveSettings:
    """Activation picker, x-range slider and leaky ReLU's α slider."""
    c1, c2, c3 = st.columns([3, 2, 2])
    names = c1.multiselect(
        "Activations", LAB_ORDER, format_func=LABELS.get, key=remember("act_names", LAB_ORDER)
    )
    lo, hi = c2.slider("x range", -10.0, 10.0, step=0.5, key=remember("act_range", (-5.0, 5.0)))
    alpha = c3.slider(
        "Leaky ReLU slope α",
        0.0,
        1.0,
        step=0.01,
        key=remember("act_alpha", 0.1),
        help="f(x) = αx for x < 0. The slides' code uses negative_slope=0.1; PyTorch's default is 0.01.",
    )
    return CurveSettings(list(names), float(lo), float(hi), float(alpha))


def chain_ui() -> ChainSettings:
    """Depth, starting value and weight of the deep chain."""
    c1, c2, c3 = st.columns(3)
    depth = c1.slider("Layers", 1, 30, key=remember("act_depth", 10))
    x0 = c2.slider(
        "Input x₀",
        -3.0,
        3.0,
        step=0.1,
        key=remember("act_x0", 1.0),
        help="Where the chain starts. Try a negative value and watch ReLU.",
    )
    weight = c3.slider(
        "Weight w in every layer",
        0.1,
        3.0,
        step=0.1,
        key=remember("act_weight", 1.0),
        help="Each layer computes h = f(w·h). Each factor in the product is w·f′(z).",
    )
    return ChainSettings(int(depth), float(x0), float(weight))
