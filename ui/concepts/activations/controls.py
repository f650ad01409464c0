"""Widgets for the activation lab; each `*_ui()` returns plain values."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from lessons.activation_stats import LAB_ORDER, LABELS
from ui.language import t
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
        t("activations.controls.names"),
        LAB_ORDER,
        format_func=LABELS.get,  # names: the same in every language
        key=remember("act_names", LAB_ORDER),
    )
    lo, hi = c2.slider(
        t("activations.controls.x_range"),
        -10.0,
        10.0,
        step=0.5,
        key=remember("act_range", (-5.0, 5.0)),
    )
    alpha = c3.slider(
        t("activations.controls.alpha"),
        0.0,
        1.0,
        step=0.01,
        key=remember("act_alpha", 0.1),
        help=t("activations.controls.alpha_help"),
    )
    return CurveSettings(list(names), float(lo), float(hi), float(alpha))


def chain_ui() -> ChainSettings:
    """Depth, starting value and weight of the deep chain."""
    c1, c2, c3 = st.columns(3)
    depth = c1.slider(t("activations.controls.depth"), 1, 30, key=remember("act_depth", 10))
    x0 = c2.slider(
        t("activations.controls.x0"),
        -3.0,
        3.0,
        step=0.1,
        key=remember("act_x0", 1.0),
        help=t("activations.controls.x0_help"),
    )
    weight = c3.slider(
        t("activations.controls.weight"),
        0.1,
        3.0,
        step=0.1,
        key=remember("act_weight", 1.0),
        help=t("activations.controls.weight_help"),
    )
    return ChainSettings(int(depth), float(x0), float(weight))
