"""MNIST's sidebar: a preset picker, MLP or CNN, the shared loss/training controls, augmentation.

The shared `architecture_ui` builds MLPs only, so the CNN's conv blocks are
drawn here; loss and training reuse `ui.controls`. A preset simply writes
widget values into st.session_state (in the selectbox's callback, i.e. before
the widgets are drawn again), so every value stays visible and editable.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import streamlit as st

from data import Dataset
from lessons.control_ranges import (
    MNIST_CHANNELS,
    MNIST_CNN_ACTIVATIONS,
    MNIST_CONV_BLOCKS,
    MNIST_DENSE,
    MNIST_KERNELS,
)
from lessons.registry import controls
from models import ModelConfig, TrainConfig
from ui.controls import (
    ACTIVATION_LABELS,
    RESTART,
    architecture_ui,
    loss_ui,
    restart_help,
    training_ui,
)
from ui.language import t, translator
from ui.state import remember, remember_choice, remember_value, remembered

SPEC = controls("mnist")

_COMMON = {
    "mnist_batchnorm": False,
    "mnist_dropout": 0.0,
    "mnist_init": "default",
    "mnist_wd": 0.0,
    "mnist_seed": 0,
    "mnist_mse": False,
}
PRESETS: dict[str, dict] = {
    # 784-128-10 with ReLU and Adam: > 97% in 5 epochs of a second or so each.
    "Fast MLP": {
        **_COMMON,
        "mnist_kind": "mlp",
        "mnist_layers": 1,
        "mnist_neurons": 128,
        "mnist_activation": "relu",
        "mnist_optimizer": "adam",
        "mnist_lr": 1e-3,
        "mnist_batch": 64,
        "mnist_epochs": 5,
    },
    # Two conv+pool blocks (16, 32 channels) then Dense(128): 99.0% after 4 epochs
    # (98.5% after 3 is too close to call; models/pretrained/README.md).
    "CNN": {
        **_COMMON,
        "mnist_kind": "cnn",
        "mnist_conv_blocks": 2,
        "mnist_conv_first": 16,
        "mnist_kernel": 3,
        "mnist_cnn_dense": 128,
        "mnist_cnn_activation": "relu",
        "mnist_optimizer": "adam",
        "mnist_lr": 1e-3,
        "mnist_batch": 64,
        "mnist_epochs": 4,
    },
    # The slides' old Keras example (003): 784-500-500-10, sigmoid, MSE, SGD(lr=0.1).
    # Batch 100 as in the lecture it was borrowed from.
    "Course recipe": {
        **_COMMON,
        "mnist_kind": "mlp",
        "mnist_layers": 2,
        "mnist_neurons": 500,
        "mnist_activation": "sigmoid",
        "mnist_mse": True,
        "mnist_optimizer": "sgd",
        "mnist_lr": 0.1,
        "mnist_batch": 100,
        "mnist_epochs": 5,
    },
}
# The presets' names are option values (and session-state values): they stay English and
# are shown through mnist.presets.<id>.name, with mnist.presets.<id>.help under the picker.
# "Custom" is what the picker shows once the controls match no preset (a student's edit, a
# link, a model file), so its name never claims settings the controls no longer have.
CUSTOM = "Custom"
PRESET_IDS = {"Fast MLP": "fast_mlp", "CNN": "cnn", "Course recipe": "course", CUSTOM: "custom"}
MLP_ONLY = frozenset(
    f"mnist_{name}" for name in ("layers", "neurons", "activation", "batchnorm", "dropout", "init")
)


def apply_preset(name: str) -> None:
    """Write a preset's widget values into session state (a callback: runs before the widgets).

    The remembered copies too: a control the preset's model kind does not draw (the MLP's
    dropout under the CNN) keeps only that copy, which would bring an old value back later.
    """
    for key, value in PRESETS[name].items():
        remember_value(key, value)


def _compared(preset: dict) -> dict:
    # What a CNN preset sets for the MLP-only controls is not on screen under the CNN.
    if preset["mnist_kind"] == "cnn":
        return {key: value for key, value in preset.items() if key not in MLP_ONLY}
    return preset


def matching_preset(values: Callable[[str], Any]) -> str:
    """The first preset whose every shown value `values(key)` gives, else CUSTOM."""
    for name, preset in PRESETS.items():
        if all(values(key) == value for key, value in _compared(preset).items()):
            return name
    return CUSTOM


def _control_value(key: str) -> Any:
    # A control this run did not draw (the other model kind's) has only its remembered copy.
    return st.session_state[key] if key in st.session_state else remembered(key)


def _on_preset() -> None:
    name = st.session_state["mnist_preset"]
    # After a language switch, a redraw the browser asked for before it had the new labels
    # sends the preset's old label back (ui.state.remember_choice), and the next run the new
    # one: neither is a student's pick, and applying it would overwrite their controls.
    if name in PRESETS and name != remembered("mnist_preset"):
        apply_preset(name)


def first_visit_preset() -> None:
    """On a first visit, fill the controls with the Fast MLP (before they are drawn)."""
    if "mnist_preset" not in st.session_state and "remember::mnist_preset" not in st.session_state:
        apply_preset("Fast MLP")
        remember_value("mnist_preset", "Fast MLP")


def preset_ui() -> str:
    """The preset picker, naming the preset the controls match in this run, or Custom.

    Drawn after the controls (into a container above them): a control's first
    value in a run is known only once it is drawn.
    """
    tr = translator()  # format_func may be called after this run (AppTest does)
    options = [*PRESETS, CUSTOM]
    key = remember_choice("mnist_preset", options, "Fast MLP")
    shown = matching_preset(_control_value)
    if st.session_state[key] != shown:
        remember_value(key, shown)
    name = st.selectbox(
        tr("mnist.presets.label"),
        options,
        key=key,
        on_change=_on_preset,
        format_func=lambda v: tr(f"mnist.presets.{PRESET_IDS[v]}.name"),
        help=t("mnist.presets.help"),
    )
    st.caption(t(f"mnist.presets.{PRESET_IDS[name]}.help"))
    return name


def cnn_ui(dataset: Dataset) -> ModelConfig:
    """Conv blocks, channels, kernel, dense head and activation; returns a kind="cnn" ModelConfig."""
    tr = translator()
    blocks = st.slider(
        t("mnist.controls.conv_blocks") + RESTART,
        *MNIST_CONV_BLOCKS,
        key=remember("mnist_conv_blocks", 2),
        help=restart_help(),
    )
    first = st.select_slider(
        t("mnist.controls.channels") + RESTART,
        MNIST_CHANNELS,
        key=remember("mnist_conv_first", 16),
        help=t("mnist.controls.channels_help"),
    )
    kernel = st.select_slider(
        t("mnist.controls.kernel") + RESTART, MNIST_KERNELS, key=remember("mnist_kernel", 3)
    )
    dense = st.select_slider(
        t("mnist.controls.dense") + RESTART,
        MNIST_DENSE,
        key=remember("mnist_cnn_dense", 128),
        format_func=lambda v: tr("mnist.controls.no_dense") if v == 0 else str(v),
    )
    activation = st.selectbox(
        t("common.activation") + RESTART,
        MNIST_CNN_ACTIVATIONS,
        format_func=ACTIVATION_LABELS.get,
        key=remember("mnist_cnn_activation", "relu"),
    )
    return ModelConfig(
        input_shape=dataset.input_shape,
        n_outputs=dataset.n_outputs,
        task=dataset.task,
        kind="cnn",
        conv_channels=[first * 2**i for i in range(blocks)],
        kernel_size=kernel,
        hidden=[dense] if dense else [],
        activation=activation,
    )


def mnist_controls_ui(dataset: Dataset) -> tuple[ModelConfig, TrainConfig]:
    """Preset, model kind, architecture, loss and training controls; returns the two configs."""
    first_visit_preset()
    picker = st.container()
    st.subheader(t("common.network"))
    kind = st.radio(
        t("mnist.controls.model") + RESTART,
        SPEC.kinds,
        format_func=translator().choice("mnist.controls.kinds"),
        horizontal=True,
        key=remember("mnist_kind", "mlp"),
        help=restart_help(),
    )
    model_config = architecture_ui(SPEC, dataset) if kind == "mlp" else cnn_ui(dataset)
    loss = loss_ui(SPEC, dataset.task)
    st.subheader(t("common.training"))
    train_config = training_ui(SPEC)
    augment = st.toggle(
        t("mnist.augment.label") + RESTART,
        key=remember("mnist_augment", False),
        help=t("mnist.augment.help"),
    )
    train_config = dataclasses.replace(train_config, loss=loss, augment=augment)
    with picker:
        preset_ui()
    return model_config, train_config


def is_course_recipe(model_config: ModelConfig, train_config: TrainConfig) -> bool:
    """True for the slow combination the course recipe teaches: sigmoid + MSE + plain SGD."""
    return (
        model_config.activation == "sigmoid"
        and train_config.loss == "mse"
        and train_config.optimizer == "sgd"
    )
