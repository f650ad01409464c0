"""The RNN lab's controls: the task and its sequences, the recurrent network, gradient clipping.

Each `*_ui()` draws its widgets (keys start with "rnn_") and returns plain
values or a frozen config; the optimizer, learning rate, batch size, epochs
and seed come from the shared ui.controls.training_ui.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import streamlit as st

from data import Dataset
from lessons.control_ranges import (
    RNN_CLIP_NORMS,
    RNN_COUNTS,
    RNN_FORGET_BIASES,
    RNN_NOISE,
    RNN_SEQ_LEN,
)
from lessons.registry import ControlSpec, Lab
from models import ModelConfig, TrainConfig
from ui.controls import RESTART, restart_help, training_ui
from ui.language import t, translator
from ui.state import remember


@dataclass(frozen=True)
class TaskSettings:
    """Which task, and the data.load options of its sequences."""

    task: str
    seq_len: int
    n_sequences: int
    noise: float

    def options(self) -> dict:
        """The keyword arguments of data.load for these sequences."""
        return {"seq_len": self.seq_len, "n_sequences": self.n_sequences, "noise": self.noise}


def task_ui(lab: Lab) -> TaskSettings:
    """Task (`lab`'s datasets), sequence length T, number of training sequences and input noise."""
    tr = translator()
    task = st.selectbox(
        t("rnn.controls.task") + RESTART,
        (lab.dataset, *lab.more_datasets),
        format_func=tr.choice("rnn.tasks"),
        key=remember("rnn_task", "first_symbol"),
        help=t("rnn.controls.task_help"),
    )
    seq_len = st.slider(
        t("rnn.controls.seq_len") + RESTART,
        *RNN_SEQ_LEN,
        key=remember("rnn_seq_len", 30),
        help=t("rnn.controls.seq_len_help"),
    )
    n_sequences = st.select_slider(
        t("rnn.controls.n_sequences") + RESTART,
        RNN_COUNTS,
        key=remember("rnn_n", 1600),
    )
    # One remembered noise per task: the wave is noisy by default, the others are clean.
    low, high, step = RNN_NOISE
    noise = st.slider(
        t("rnn.controls.noise") + RESTART,
        low,
        high,
        step=step,
        key=remember(f"rnn_noise_{task}", 0.1 if task == "noisy_wave" else 0.0),
        help=t("rnn.controls.noise_help"),
    )
    return TaskSettings(task, int(seq_len), int(n_sequences), float(noise))


def network_ui(spec: ControlSpec, dataset: Dataset) -> ModelConfig:
    """Cell (RNN, LSTM, GRU), hidden size, layers and the LSTM's forget-gate bias at init."""
    cell = st.selectbox(
        t("rnn.controls.cell") + RESTART,
        spec.kinds,
        format_func=translator().choice("rnn.cells"),
        key=remember("rnn_cell", "rnn"),
        help=t("rnn.controls.cell_help"),
    )
    lo, hi, default = spec.neurons
    hidden = st.slider(
        t("rnn.controls.hidden") + RESTART,
        lo,
        hi,
        key=remember("rnn_neurons", default),
        help=restart_help(),
    )
    lo, hi, default = spec.layers
    layers = st.slider(
        t("rnn.controls.layers") + RESTART, lo, hi, key=remember("rnn_layers", default)
    )
    forget_bias = st.select_slider(
        t("rnn.controls.forget_bias") + RESTART,
        RNN_FORGET_BIASES,
        format_func=lambda v: f"{v:g}",
        key=remember("rnn_forget_bias", 0.0),
        help=t("rnn.controls.forget_bias_help"),
        disabled=cell != "lstm",
    )
    return ModelConfig(
        input_shape=dataset.input_shape,
        n_outputs=dataset.n_outputs,
        task=dataset.task,
        kind=cell,
        hidden=[hidden] * layers,
        activation="tanh",
        # Only an LSTM has a forget gate: other cells keep 0, so moving it changes no run of theirs.
        forget_bias=float(forget_bias) if cell == "lstm" else 0.0,
    )


def rnn_training_ui(spec: ControlSpec) -> TrainConfig:
    """The shared training controls, plus gradient clipping on or off (and its largest norm)."""
    config = training_ui(spec)
    clip = st.toggle(
        t("rnn.controls.clip") + RESTART,
        key=remember("rnn_clip", False),
        help=t("rnn.controls.clip_help"),
    )
    norm = 0.0
    if clip:
        norm = st.select_slider(
            t("rnn.controls.clip_norm") + RESTART,
            RNN_CLIP_NORMS,
            format_func=lambda v: f"{v:g}",
            key=remember("rnn_clip_norm", 1.0),
        )
    return dataclasses.replace(config, clip_grad=float(norm))
