"""Hyperparameter controls: `*_ui()` functions that draw widgets and return plain configs.

Every lab calls `hyperparameter_ui(spec, dataset)` and gets back a
(ModelConfig, TrainConfig) pair; what the widgets look like stays here.
Labels marked ↻ restart training when changed (a new run is needed for a new
architecture or optimizer); epochs can be raised on a trained run.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from data import Dataset
from lessons.control_ranges import DROPOUT, SEED
from lessons.registry import ControlSpec
from models import (
    BUILDER_ACTIVATIONS,
    LOSS_NAMES,
    OPTIMIZER_LABELS,
    OUTPUT_ACTIVATIONS,
    ModelConfig,
    TrainConfig,
)
from ui.language import markdown, md, t, translator
from ui.state import remember

RESTART = " ↻"

# A log-scale learning-rate slider: each notch is ~x2-3, as people tune it.
LEARNING_RATES = [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0, 3.0, 10.0]
WEIGHT_DECAYS = [0.0, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1]
INITS = ("default", "xavier", "he")
# Names, the same in every language.
ACTIVATION_LABELS = {
    "relu": "ReLU",
    "leaky_relu": "Leaky ReLU",
    "sigmoid": "Sigmoid",
    "tanh": "Tanh",
    "softplus": "Softplus",
    "elu": "ELU",
    "gaussian": "Gaussian",
}


def restart_help() -> str:
    """The ↻ mark's meaning, in the session's language (help text of every ↻ control)."""
    return t("common.restart_help")


def _k(spec: ControlSpec, name: str) -> str:
    return f"{spec.prefix}_{name}"


def architecture_ui(spec: ControlSpec, dataset: Dataset) -> ModelConfig:
    """Layers, neurons, activation, BatchNorm, dropout and init; returns a ModelConfig."""
    lo, hi, default = spec.layers
    n_layers = st.slider(
        t("common.hidden_layers") + RESTART,
        lo,
        hi,
        key=remember(_k(spec, "layers"), default),
        help=restart_help(),
    )
    lo, hi, default = spec.neurons
    width = st.slider(
        t("common.neurons") + RESTART,
        lo,
        hi,
        key=remember(_k(spec, "neurons"), default),
        help=restart_help(),
    )
    activation = st.selectbox(
        t("common.activation") + RESTART,
        BUILDER_ACTIVATIONS,
        format_func=ACTIVATION_LABELS.get,
        key=remember(_k(spec, "activation"), spec.activation),
        help=restart_help(),
    )
    with st.expander(t("common.regularization")):
        batchnorm = st.toggle(
            t("common.batchnorm") + RESTART,
            key=remember(_k(spec, "batchnorm"), False),
            help=t("common.batchnorm_help"),
        )
        low, high, step = DROPOUT
        dropout = st.slider(
            t("common.dropout") + RESTART,
            low,
            high,
            step=step,
            key=remember(_k(spec, "dropout"), 0.0),
            help=t("common.dropout_help"),
        )
        init = st.selectbox(
            t("common.init") + RESTART,
            list(INITS),
            format_func=translator().choice("common.inits"),
            key=remember(_k(spec, "init"), "default"),
        )
    return ModelConfig(
        input_shape=dataset.input_shape,
        n_outputs=dataset.n_outputs,
        task=dataset.task,
        hidden=[width] * n_layers,
        activation=activation,
        batchnorm=batchnorm,
        dropout=dropout,
        init=init,
    )


def loss_ui(spec: ControlSpec, task: str) -> str:
    """Shows the output activation and loss the task fixes; returns "auto" or "mse"."""
    markdown(
        "common.output_and_loss",
        activation=t(f"common.output_activation.{OUTPUT_ACTIVATIONS[task]}"),
        loss=LOSS_NAMES[(task, "auto")],
    )
    st.caption(md(f"common.loss_reason.{task}"), unsafe_allow_html=True)
    if task == "regression" or not spec.allow_mse_loss:
        return "auto"
    use_mse = st.toggle(
        t("common.use_mse") + RESTART,
        key=remember(_k(spec, "mse"), False),
        help=t("common.use_mse_help"),
    )
    return "mse" if use_mse else "auto"


def training_ui(spec: ControlSpec) -> TrainConfig:
    """Optimizer, learning rate (log scale), batch size, epochs, weight decay, seed."""
    optimizer = st.selectbox(
        t("common.optimizer") + RESTART,
        spec.optimizers,
        format_func=OPTIMIZER_LABELS.get,
        key=remember(_k(spec, "optimizer"), spec.optimizer),
    )
    lr = st.select_slider(
        t("common.learning_rate") + RESTART,
        LEARNING_RATES,
        format_func=lambda v: f"{v:g}",
        key=remember(_k(spec, "lr"), spec.lr),
    )
    batch_size = st.select_slider(
        t("common.batch_size") + RESTART,
        spec.batch_sizes,
        key=remember(_k(spec, "batch"), spec.batch_size),
    )
    lo, hi, default = spec.epochs
    epochs = st.slider(
        t("common.epochs"),
        lo,
        hi,
        key=remember(_k(spec, "epochs"), default),
        help=t("common.epochs_help"),
    )
    with st.expander(t("common.more_training")):
        weight_decay = st.select_slider(
            t("common.weight_decay") + RESTART,
            WEIGHT_DECAYS,
            format_func=lambda v: f"{v:g}",
            key=remember(_k(spec, "wd"), spec.weight_decay),
        )
        seed = st.number_input(
            t("common.seed") + RESTART,
            *SEED,
            step=1,
            key=remember(_k(spec, "seed"), spec.seed),
            help=t("common.seed_help"),
        )
        device = st.selectbox(
            t("common.device") + RESTART,
            available_devices(),
            key=remember(_k(spec, "device"), "cpu"),
            format_func=translator().choice("common.devices"),
            help=t("common.device_help"),
        )
    return TrainConfig(
        optimizer=optimizer,
        lr=lr,
        batch_size=batch_size,
        epochs=epochs,
        weight_decay=weight_decay,
        seed=int(seed),
        device=device,
    )


def available_devices() -> list[str]:
    """Devices this machine can train on, CPU first."""
    import torch

    devices = ["cpu"]
    if torch.cuda.is_available():
        devices.append("cuda")
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        devices.append("mps")
    return devices


def hyperparameter_ui(spec: ControlSpec, dataset: Dataset) -> tuple[ModelConfig, TrainConfig]:
    """The whole hyperparameter panel for a lab; returns (ModelConfig, TrainConfig)."""
    st.subheader(t("common.network"))
    model_config = architecture_ui(spec, dataset)
    loss = loss_ui(spec, dataset.task)
    st.subheader(t("common.training"))
    train_config = dataclasses.replace(training_ui(spec), loss=loss)
    return model_config, train_config


def split_ui(lab: str) -> str:
    """Recommended (shuffled) or the course's split; returns the data.load split name."""
    return st.radio(
        t("common.split") + RESTART,
        ["recommended", "course"],
        format_func=translator().choice("common.splits"),
        horizontal=True,
        key=remember(f"{lab}_split", "recommended"),
    )
