"""The RNN lab's views: the data and the gradient through time before training, then live views.

Live views read the borrowed run's model through an inference copy
(models.inference_copy), so nothing here touches the model that trains.
"""

from __future__ import annotations

import numpy as np
import streamlit as st
import torch

from data import Dataset
from data.sequences import wave
from lessons.through_time import (
    continue_wave,
    early_to_late_ratio,
    gradient_through_time,
    initial_model,
    states_over_time,
)
from models import ModelConfig, inference_copy
from ui.language import error_text, t, translator
from ui.rnn.figures import (
    continuation_figure,
    gradient_time_figure,
    sequences_figure,
    state_heatmap_figure,
)
from ui.state import session_object

# Sequences in the batch whose gradient through time is shown (the first validation ones).
PROBE = 128
# The wave the network continues: a fixed period and phase, twice the window's length ahead.
WAVE_PERIOD, WAVE_PHASE = 20.0, 0.3


def probe_batch(dataset: Dataset) -> tuple[torch.Tensor, torch.Tensor]:
    """The batch the gradient through time is measured on: the first PROBE validation sequences."""
    return torch.from_numpy(dataset.X_valid[:PROBE]), torch.from_numpy(dataset.y_valid[:PROBE])


def initial_gradients(dataset: Dataset, dataset_key: tuple, mc: ModelConfig, seed: int):
    """|∂L/∂h_t| of the network a run with these settings starts from (kept per session)."""
    cache = session_object("rnn_initial_gradients", dict)
    key = (dataset_key, mc, seed)
    if key not in cache:
        if len(cache) > 16:
            cache.clear()
        cache[key] = gradient_through_time(initial_model(mc, seed), *probe_batch(dataset))
    return cache[key]


def gradient_view(current, at_init) -> None:
    """The gradient-through-time chart, and in words how much of it reaches the first step."""
    st.plotly_chart(gradient_time_figure(current, at_init, tr=translator()), width="stretch")
    values = current if current is not None else at_init
    ratio = early_to_late_ratio(values)
    st.caption(t("rnn.gradient.ratio", ratio=ratio, steps=len(values)))


def data_preview(dataset: Dataset, dataset_key: tuple, mc: ModelConfig, seed: int) -> None:
    """Before training: three sequences of the task, and the gradient through time at init."""
    tr = translator()
    st.plotly_chart(
        sequences_figure(dataset.X_train, dataset.y_train, dataset.name, dataset.task, tr=tr),
        width="stretch",
    )
    try:
        at_init = initial_gradients(dataset, dataset_key, mc, seed)
    except ValueError as exc:
        st.error(error_text(exc))
        return
    gradient_view(None, at_init)
    st.caption(t("rnn.gradient.before_training"))


def live_views(run, dataset_key: tuple) -> None:
    """While it trains and after: the gradient through time now and at init, the states, the wave."""
    model = inference_copy(run.model)
    ds, mc = run.dataset, run.model_config
    at_init = initial_gradients(ds, dataset_key, mc, run.train_config.seed)
    gradient_view(gradient_through_time(model, *probe_batch(ds)), at_init)
    states = states_over_time(model, torch.from_numpy(ds.X_valid[0]))
    tr = translator()
    if "cell" in states:
        c1, c2 = st.columns(2)
        c1.plotly_chart(
            state_heatmap_figure(states["hidden"], "rnn.figures.states.hidden", tr=tr),
            width="stretch",
        )
        c2.plotly_chart(
            state_heatmap_figure(states["cell"], "rnn.figures.states.cell", tr=tr),
            width="stretch",
        )
    else:
        st.plotly_chart(
            state_heatmap_figure(states["hidden"], "rnn.figures.states.hidden", tr=tr),
            width="stretch",
        )
    st.caption(t(f"rnn.states.caption_{ds.name}"))
    if ds.name == "noisy_wave":
        wave_view(model, ds.input_shape[0])


def wave_view(model, seq_len: int) -> None:
    """The network continues a clean wave on its own, fed its own predictions, against the truth."""
    steps = np.arange(3 * seq_len)
    full = wave(np.array([WAVE_PHASE]), np.array([WAVE_PERIOD]), steps)[0]
    window, truth = full[:seq_len], full[seq_len:]
    predicted = continue_wave(model, window[:, None], len(truth))
    st.plotly_chart(continuation_figure(window, truth, predicted, tr=translator()), width="stretch")
    rmse = float(np.sqrt(np.mean((predicted - truth) ** 2)))
    st.caption(t("rnn.wave.caption", steps=len(truth), rmse=rmse))
