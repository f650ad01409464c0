"""Widgets and session state for the backprop lab.

The nine weight inputs *are* the network's current parameters: the step
buttons write the updated weights back into those widgets (from callbacks,
before the widgets are drawn), so a student can always see and edit the exact
numbers the next step starts from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from lessons.activation_stats import LAB_ORDER, LABELS
from lessons.backprop import OUTPUTS, Params, forward, train, update
from ui.language import error_text, t, translator
from ui.state import remember

PARAM_KEYS = ["bp_w11", "bp_w12", "bp_w21", "bp_w22", "bp_b1", "bp_b2", "bp_v1", "bp_v2", "bp_c"]
# Small, asymmetric starting weights (so the two hidden units differ), in Params.flat() order.
DEFAULT_PARAMS = [0.15, 0.25, 0.20, 0.30, 0.35, 0.35, 0.40, 0.45, 0.60]
DEFAULTS = {
    "bp_x1": 0.5,
    "bp_x2": 1.0,
    "bp_y": 0.2,
    "bp_lr": 0.5,
    **dict(zip(PARAM_KEYS, DEFAULT_PARAMS, strict=True)),
}
# Past this size the weights have clearly run away; refusing the step keeps every number finite.
BLOW_UP = 1e6


@dataclass(frozen=True)
class Setup:
    """The training example and the network's activation and output."""

    x: tuple[float, float]
    y: float
    activation: str
    output: str
    lr: float


def _init_state() -> None:
    # remember() restores each value after a page switch (or sets the default),
    # so the weights a student reached survive a visit to another lab.
    for key, value in DEFAULTS.items():
        remember(key, value)
    remember("bp_act", "sigmoid")
    remember("bp_output", "linear")


def current_params() -> Params:
    """The parameters in the weight widgets right now."""
    return Params.from_flat([st.session_state[k] for k in PARAM_KEYS])


def setup_ui() -> Setup:
    """Inputs x, target y, hidden activation, output/loss pair and learning rate."""
    _init_state()
    c1, c2, c3, c4, c5 = st.columns([1, 1, 1, 2, 3])
    x1 = c1.number_input("x₁", -10.0, 10.0, step=0.1, key="bp_x1")
    x2 = c2.number_input("x₂", -10.0, 10.0, step=0.1, key="bp_x2")
    y = c3.number_input(t("backprop.controls.target"), -10.0, 10.0, step=0.1, key="bp_y")
    act = c4.selectbox(
        t("backprop.controls.activation"), LAB_ORDER, format_func=LABELS.get, key="bp_act"
    )
    out = c5.selectbox(
        t("backprop.controls.output"),
        list(OUTPUTS),
        format_func=translator().choice("backprop.outputs"),
        key="bp_output",
    )
    return Setup((float(x1), float(x2)), float(y), act, out, float(st.session_state["bp_lr"]))


def weights_ui() -> Params:
    """Nine number inputs laid out as W1 (2×2), B1, W2 (2×1) and B2."""
    _init_state()
    cols = st.columns(5)
    labels = {
        "bp_w11": "W1[1,1]",
        "bp_w12": "W1[1,2]",
        "bp_w21": "W1[2,1]",
        "bp_w22": "W1[2,2]",
        "bp_b1": "B1[1]",
        "bp_b2": "B1[2]",
        "bp_v1": "W2[1]",
        "bp_v2": "W2[2]",
        "bp_c": "B2",
    }
    placement = [
        (0, "bp_w11"),
        (1, "bp_w12"),
        (0, "bp_w21"),
        (1, "bp_w22"),
        (2, "bp_b1"),
        (2, "bp_b2"),
        (3, "bp_v1"),
        (3, "bp_v2"),
        (4, "bp_c"),
    ]
    for col, key in placement:
        # Bounded like the step buttons: past a million a weight has run away, and
        # a typed 1e308 would only make every later step refuse to move.
        cols[col].number_input(
            labels[key],
            min_value=-BLOW_UP,
            max_value=BLOW_UP,
            step=0.05,
            format="%.4f",
            key=key,
        )
    return current_params()


def _take_steps(n: int) -> None:
    ss = st.session_state
    setup = Setup(
        (ss["bp_x1"], ss["bp_x2"]), ss["bp_y"], ss["bp_act"], ss["bp_output"], ss["bp_lr"]
    )
    try:
        history = train(
            current_params(), setup.x, setup.y, setup.lr, n, setup.activation, setup.output
        )
    except ValueError as exc:
        ss["bp_message"] = exc  # worded when it is shown, in the page's language
        return
    last = history[-1]
    new = update(last.params, last.grads, setup.lr)
    flat = new.flat()
    if not np.all(np.isfinite(flat)) or np.abs(flat).max() > BLOW_UP:
        ss["bp_message"] = ("backprop.controls.ran_away", {"lr": setup.lr})
        return
    for key, value in zip(PARAM_KEYS, flat, strict=True):
        ss[key] = float(value)
    trace = ss.get("bp_trace")
    if trace is not None:
        end_loss = forward(new, setup.x, setup.y, setup.activation, setup.output).loss
        trace["losses"] += [s.forward.loss for s in history[1:]] + [end_loss]
        trace["params"] = tuple(flat)


def _reset() -> None:
    for key in PARAM_KEYS:
        st.session_state[key] = DEFAULTS[key]
    st.session_state.pop("bp_trace", None)


def loss_trace(setup: Setup, params: Params, loss: float) -> list[float]:
    """Losses since the weights were last edited by hand; starts over after any edit."""
    key = (setup.x, setup.y, setup.activation, setup.output)
    trace = st.session_state.get("bp_trace")
    if trace is None or trace["setup"] != key or trace["params"] != tuple(params.flat()):
        trace = {"setup": key, "params": tuple(params.flat()), "losses": [loss]}
        st.session_state["bp_trace"] = trace
    return trace["losses"]


def step_ui() -> None:
    """Learning-rate slider and the step / 10 steps / reset buttons."""
    _init_state()
    st.slider(t("backprop.controls.lr"), 0.01, 2.0, step=0.01, key="bp_lr")
    # A row that wraps: in three fixed columns a tablet cut "訓練 10 步" to "訓練 10…".
    row = st.container(horizontal=True)
    row.button(
        t("backprop.controls.step"),
        type="primary",
        key="bp_step",
        on_click=_take_steps,
        args=(1,),
    )
    row.button(t("backprop.controls.step10"), key="bp_step10", on_click=_take_steps, args=(10,))
    row.button(t("backprop.controls.reset"), key="bp_reset", on_click=_reset)
    message = st.session_state.pop("bp_message", None)
    if isinstance(message, BaseException):
        st.warning(error_text(message))
    elif message:
        key, values = message
        st.warning(t(key, **values))
