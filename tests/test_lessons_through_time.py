"""The gradient through time equals autograd on torch's own cells with h_t.retain_grad()."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import data
from data.errors import CodedError
from lessons.through_time import (
    continue_wave,
    early_to_late_ratio,
    gradient_through_time,
    initial_model,
    states_over_time,
    unroll,
)
from models import ModelConfig, TrainConfig, TrainingRun, build_model, inference_copy
from models.tasks import loss_function

CELLS = {"rnn": torch.nn.RNNCell, "lstm": torch.nn.LSTMCell, "gru": torch.nn.GRUCell}


def _model(kind, layers=1, steps=12, features=2, hidden=6, task="binary", bias=0.0, seed=0):
    torch.manual_seed(seed)
    mc = ModelConfig(
        (steps, features), 1, task, kind=kind, hidden=(hidden,) * layers, forget_bias=bias
    )
    return build_model(mc)


def _reference(model, X, y):
    """|∂L/∂h_t| from torch.nn.*Cell copies of the model's layers, unrolled with retain_grad."""
    kind, rnn = model.config.kind, model.recurrent
    inputs = list(X.unbind(1))
    for layer in range(rnn.num_layers):
        cell = CELLS[kind](inputs[0].shape[1], rnn.hidden_size)
        with torch.no_grad():
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                getattr(cell, name).copy_(getattr(rnn, f"{name}_l{layer}"))
        h = torch.zeros(len(X), rnn.hidden_size)
        state = (h, torch.zeros_like(h)) if kind == "lstm" else h
        outputs = []
        for x in inputs:
            state = cell(x, state)
            h = state[0] if kind == "lstm" else state
            h.retain_grad()
            outputs.append(h)
        inputs = outputs
    loss = loss_function(model.config.task)(model.head(inputs[-1]), y)
    loss.backward()
    return np.array([float(h.grad.norm()) for h in inputs]), model.head(inputs[-1])


@pytest.mark.parametrize("kind", list(CELLS))
@pytest.mark.parametrize("layers", [1, 2])
def test_gradient_through_time_equals_autograd_with_retain_grad(kind, layers):
    model = _model(kind, layers)
    X = torch.randn(16, 12, 2)
    y = (torch.rand(16) > 0.5).float()
    expected, logits = _reference(model, X, y)
    np.testing.assert_allclose(gradient_through_time(model, X, y), expected, rtol=1e-4, atol=1e-12)
    torch.testing.assert_close(unroll(model, X).logits, model(X))
    torch.testing.assert_close(logits, model(X))


def test_regression_uses_the_trainers_loss_too():
    model = _model("gru", task="regression")
    X, y = torch.randn(8, 12, 2), torch.randn(8)
    expected, _ = _reference(model, X, y)
    np.testing.assert_allclose(gradient_through_time(model, X, y), expected, rtol=1e-4)


def test_an_inference_copy_gives_the_same_gradients_and_nothing_is_changed():
    model = _model("lstm", layers=2)
    X, y = torch.randn(8, 12, 2), (torch.rand(8) > 0.5).float()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    direct = gradient_through_time(model, X, y)
    copied = gradient_through_time(inference_copy(model), X, y)
    np.testing.assert_allclose(direct, copied, rtol=1e-6)
    assert all(p.grad is None for p in model.parameters())
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


def test_the_gradient_vanishes_through_a_plain_rnn_and_an_open_forget_gate_keeps_it():
    ds = data.load("first_symbol", seq_len=30, n_sequences=512)
    X, y = torch.from_numpy(ds.X_valid), torch.from_numpy(ds.y_valid)
    ratios = {}
    for name, kind, bias in (("rnn", "rnn", 0.0), ("lstm0", "lstm", 0.0), ("lstm3", "lstm", 3.0)):
        model = _model(kind, steps=30, features=1, hidden=32, bias=bias)
        grads = gradient_through_time(model, X, y)
        assert grads[-1] > grads[0]  # the loss reads h_T; h_1 only gets what survives the way back
        ratios[name] = early_to_late_ratio(grads)
    assert ratios["rnn"] < 1e-3 and ratios["lstm0"] < 1e-3
    assert ratios["lstm3"] > 1000 * ratios["lstm0"]


def test_states_over_time_have_one_row_per_step_and_an_lstm_has_its_cell_state():
    lstm, gru = _model("lstm", layers=2), _model("gru")
    x = torch.randn(12, 2)
    states = states_over_time(lstm, x)
    assert states["hidden"].shape == (12, 6) and states["cell"].shape == (12, 6)
    assert np.all(np.abs(states["hidden"]) <= 1)
    assert set(states_over_time(gru, x)) == {"hidden"}


def test_initial_model_is_the_one_a_run_starts_from():
    ds = data.load("first_symbol", seq_len=5, n_sequences=8)
    mc = ModelConfig(ds.input_shape, 1, "binary", kind="lstm", hidden=(4,), forget_bias=3.0)
    run = TrainingRun(ds, mc, TrainConfig(seed=7, epochs=1))
    start, trained_from = initial_model(mc, 7).state_dict(), run.model.state_dict()
    assert all(torch.equal(start[k], trained_from[k]) for k in start)


def test_continue_wave_feeds_its_own_predictions():
    model = _model("rnn", steps=10, features=1, task="regression")
    window = np.sin(np.arange(10) / 3.0)[:, None]
    out = continue_wave(model, window, 5)
    assert out.shape == (5,) and np.all(np.isfinite(out))
    # The first prediction reads the window itself; the second reads the window shifted by one.
    seq = torch.tensor(window, dtype=torch.float32)[None]
    model.requires_grad_(False)
    assert out[0] == pytest.approx(float(model(seq)), abs=1e-6)
    shifted = torch.cat([seq[:, 1:], torch.tensor([[[out[0]]]], dtype=torch.float32)], dim=1)
    assert out[1] == pytest.approx(float(model(shifted)), abs=1e-6)


def test_a_feed_forward_model_is_refused_with_a_code():
    mlp = build_model(ModelConfig((4,), 1, "binary"))
    with pytest.raises(CodedError) as info:
        gradient_through_time(mlp, torch.zeros(2, 4), torch.zeros(2))
    assert info.value.code == "not_recurrent"
