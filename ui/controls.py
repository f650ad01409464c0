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
from lessons.registry import ControlSpec
from models import (
    BUILDER_ACTIVATIONS,
    LOSS_NAMES,
    OPTIMIZER_LABELS,
    OUTPUT_ACTIVATIONS,
    ModelConfig,
    TrainConfig,
)
from ui.state import remember

RESTART = " ↻"
RESTART_HELP = "↻ Changing this starts a new run the next time you press Train."

# A log-scale learning-rate slider: each notch is ~x2-3, as people tune it.
LEARNING_RATES = [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0, 3.0, 10.0]
WEIGHT_DECAYS = [0.0, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1]
INIT_LABELS = {"default": "PyTorch default", "xavier": "Xavier / Glorot", "he": "He (Kaiming)"}
ACTIVATION_LABELS = {
    "relu": "ReLU",
    "leaky_relu": "Leaky ReLU",
    "sigmoid": "Sigmoid",
    "tanh": "Tanh",
    "softplus": "Softplus",
    "elu": "ELU",
}
# Why each output/loss pair, in the slides' words (主題四's output-layer table).
LOSS_REASONS = {
    "regression": "Regression predicts any number, so the output has no activation (ŷ = Z) "
    "and the loss is the mean squared error.",
    "binary": "Two classes: a sigmoid turns the output into a probability and the loss is "
    "binary cross-entropy (BCEWithLogitsLoss applies the sigmoid inside, which is numerically safer).",
    "multiclass": "Several classes: a softmax turns the outputs into probabilities that sum to 1 "
    "and the loss is cross-entropy (CrossEntropyLoss applies the softmax inside).",
}


def _k(spec: ControlSpec, name: str) -> str:
    return f"{spec.prefix}_{name}"


def architecture_ui(spec: ControlSpec, dataset: Dataset) -> ModelConfig:
    """Layers, neurons, activation, BatchNorm, dropout and init; returns a ModelConfig."""
    lo, hi, default = spec.layers
    n_layers = st.slider(
        "Hidden layers" + RESTART,
        lo,
        hi,
        key=remember(_k(spec, "layers"), default),
        help=RESTART_HELP,
    )
    lo, hi, default = spec.neurons
    width = st.slider(
        "Neurons per hidden layer" + RESTART,
        lo,
        hi,
        key=remember(_k(spec, "neurons"), default),
        help=RESTART_HELP,
    )
    activation = st.selectbox(
        "Activation" + RESTART,
        BUILDER_ACTIVATIONS,
        format_func=ACTIVATION_LABELS.get,
        key=remember(_k(spec, "activation"), spec.activation),
        help=RESTART_HELP,
    )
    with st.expander("Regularization and initialization"):
        batchnorm = st.toggle(
            "BatchNorm" + RESTART,
            key=remember(_k(spec, "batchnorm"), False),
            help="Normalizes each hidden layer's pre-activations over the mini-batch.",
        )
        dropout = st.slider(
            "Dropout" + RESTART,
            0.0,
            0.8,
            step=0.05,
            key=remember(_k(spec, "dropout"), 0.0),
            help="Fraction of hidden neurons switched off at random during each training step.",
        )
        init = st.selectbox(
            "Weight initialization" + RESTART,
            list(INIT_LABELS),
            format_func=INIT_LABELS.get,
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
    st.markdown(
        f"**Output:** {OUTPUT_ACTIVATIONS[task]} → **loss:** `{LOSS_NAMES[(task, 'auto')]}`"
    )
    st.caption(LOSS_REASONS[task])
    if task == "regression" or not spec.allow_mse_loss:
        return "auto"
    use_mse = st.toggle(
        "Use MSE on the probabilities instead" + RESTART,
        key=remember(_k(spec, "mse"), False),
        help="The old Keras recipe. Try it to see why cross-entropy learns faster: "
        "MSE's gradient vanishes when the output saturates.",
    )
    return "mse" if use_mse else "auto"


def training_ui(spec: ControlSpec) -> TrainConfig:
    """Optimizer, learning rate (log scale), batch size, epochs, weight decay, seed."""
    optimizer = st.selectbox(
        "Optimizer" + RESTART,
        spec.optimizers,
        format_func=OPTIMIZER_LABELS.get,
        key=remember(_k(spec, "optimizer"), spec.optimizer),
    )
    lr = st.select_slider(
        "Learning rate (log scale)" + RESTART,
        LEARNING_RATES,
        format_func=lambda v: f"{v:g}",
        key=remember(_k(spec, "lr"), spec.lr),
    )
    batch_size = st.select_slider(
        "Batch size" + RESTART, spec.batch_sizes, key=remember(_k(spec, "batch"), spec.batch_size)
    )
    lo, hi, default = spec.epochs
    epochs = st.slider(
        "Epochs",
        lo,
        hi,
        key=remember(_k(spec, "epochs"), default),
        help="Raising this on a trained run continues training; it never restarts.",
    )
    with st.expander("Weight decay, seed and device"):
        weight_decay = st.select_slider(
            "Weight decay (L2)" + RESTART,
            WEIGHT_DECAYS,
            format_func=lambda v: f"{v:g}",
            key=remember(_k(spec, "wd"), spec.weight_decay),
        )
        seed = st.number_input(
            "Random seed" + RESTART,
            0,
            10_000,
            step=1,
            key=remember(_k(spec, "seed"), spec.seed),
            help="Same seed, same settings: the same run, exactly.",
        )
        device = st.selectbox(
            "Device" + RESTART,
            available_devices(),
            key=remember(_k(spec, "device"), "cpu"),
            help="CPU is the default; a CUDA GPU or Apple MPS is offered when present.",
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
    st.subheader("Network")
    model_config = architecture_ui(spec, dataset)
    loss = loss_ui(spec, dataset.task)
    st.subheader("Training")
    train_config = dataclasses.replace(training_ui(spec), loss=loss)
    return model_config, train_config


def split_ui(lab: str) -> str:
    """Recommended (shuffled) or the course's split; returns the data.load split name."""
    labels = {"recommended": "Recommended (shuffled)", "course": "Course (as in the slides)"}
    return st.radio(
        "Train/validation split" + RESTART,
        list(labels),
        format_func=labels.get,
        horizontal=True,
        key=remember(f"{lab}_split", "recommended"),
    )
