"""Recurrent builders: PyTorch's own parameter counts, the forget-gate bias, configs, clipping, CLI."""

from __future__ import annotations

import json
import shlex

import pytest
import torch

import data
from data.errors import CodedError
from models import ModelConfig, TrainConfig, TrainingRun, build_model, count_parameters
from models.cli import build_parser, main
from models.flags import command_of, settings_of
from models.persistence import load_model, model_to_bytes

REFERENCE = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}


def _config(kind="lstm", steps=6, features=1, hidden=(8,), **kw) -> ModelConfig:
    return ModelConfig((steps, features), 1, "binary", kind=kind, hidden=hidden, **kw)


@pytest.mark.parametrize("kind", list(REFERENCE))
@pytest.mark.parametrize(("features", "hidden", "layers"), [(1, 8, 1), (2, 32, 3), (3, 5, 2)])
def test_parameter_count_equals_torch_reference(kind, features, hidden, layers):
    model = build_model(_config(kind, features=features, hidden=(hidden,) * layers))
    reference = REFERENCE[kind](features, hidden, num_layers=layers, batch_first=True)
    head = torch.nn.Linear(hidden, 1)
    assert count_parameters(model) == count_parameters(reference) + count_parameters(head)


@pytest.mark.parametrize("kind", list(REFERENCE))
def test_output_is_one_logit_per_sequence_from_the_last_step(kind):
    torch.manual_seed(0)
    model = build_model(_config(kind, steps=9, features=2, hidden=(4, 4)))
    x = torch.randn(5, 9, 2)
    out, _ = model.recurrent(x)
    assert model(x).shape == (5, 1)
    torch.testing.assert_close(model(x), model.head(out[:, -1]))


def test_forget_bias_shifts_only_the_forget_gate_and_zero_keeps_pytorch_init():
    torch.manual_seed(1)
    plain = build_model(_config(hidden=(6, 6)))
    torch.manual_seed(1)
    shifted = build_model(_config(hidden=(6, 6), forget_bias=3.0))
    for layer in range(2):
        before = getattr(plain.recurrent, f"bias_ih_l{layer}")
        after = getattr(shifted.recurrent, f"bias_ih_l{layer}")
        expected = torch.zeros(24)
        expected[6:12] = 3.0  # gates in PyTorch's order: input, forget, cell, output
        torch.testing.assert_close(after - before, expected)
    # Bias 0 is PyTorch's own initialization, untouched.
    torch.manual_seed(1)
    reference = torch.nn.LSTM(1, 6, num_layers=2, batch_first=True)
    torch.testing.assert_close(plain.recurrent.bias_ih_l1, reference.bias_ih_l1)


def test_configs_round_trip_and_old_files_get_the_defaults():
    mc = _config("gru", hidden=(16, 16), forget_bias=2.5)
    assert ModelConfig.from_dict(json.loads(json.dumps(mc.to_dict()))) == mc
    tc = TrainConfig(clip_grad=0.5)
    assert TrainConfig.from_dict(json.loads(json.dumps(tc.to_dict()))) == tc
    old = mc.to_dict()
    del old["forget_bias"]
    assert ModelConfig.from_dict(old).forget_bias == 0.0
    old_tc = tc.to_dict()
    del old_tc["clip_grad"]
    assert TrainConfig.from_dict(old_tc).clip_grad == 0.0


@pytest.mark.parametrize(
    ("config", "code"),
    [
        (ModelConfig((4,), 1, "binary", kind="rnn", hidden=(8,)), "recurrent_needs_sequence"),
        (_config("gru", hidden=(8, 4)), "recurrent_hidden_uneven"),
    ],
)
def test_bad_recurrent_configs_raise_coded_errors(config, code):
    with pytest.raises(CodedError) as info:
        build_model(config)
    assert info.value.code == code


def _param_change(clip: float) -> float:
    ds = data.load("noisy_wave", seq_len=5, n_sequences=32)
    mc = ModelConfig(ds.input_shape, 1, "regression", kind="rnn", hidden=(8,))
    tc = TrainConfig(optimizer="sgd", lr=1.0, batch_size=32, epochs=1, clip_grad=clip)
    run = TrainingRun(ds, mc, tc)
    before = torch.cat([p.detach().clone().flatten() for p in run.model.parameters()])
    run.advance(max_steps=1)
    after = torch.cat([p.detach().flatten() for p in run.model.parameters()])
    return float((after - before).norm())


def test_gradient_clipping_caps_the_step_at_lr_times_the_norm():
    # Plain SGD moves the weights by lr * gradient: clipped, that step's norm is at most lr * clip.
    assert _param_change(1e-3) == pytest.approx(1e-3, rel=1e-3)
    assert _param_change(0.0) > 1e-2


def test_an_lstm_learns_to_remember_the_first_symbol_on_the_shared_trainer():
    ds = data.load("first_symbol", seq_len=8, n_sequences=800)
    mc = ModelConfig(ds.input_shape, 1, "binary", kind="lstm", hidden=(16,), forget_bias=3.0)
    run = TrainingRun(ds, mc, TrainConfig(lr=0.01, batch_size=32, epochs=6, seed=0))
    run.advance()
    assert run.history.latest()["valid_accuracy"] > 0.95


def test_a_recurrent_model_file_round_trips():
    ds = data.load("marked_sum", seq_len=6, n_sequences=16)
    mc = ModelConfig(ds.input_shape, 1, "regression", kind="lstm", hidden=(4, 4), forget_bias=1.0)
    run = TrainingRun(ds, mc, TrainConfig(epochs=1))
    run.advance()
    model = load_model(model_to_bytes(run.model, dataset=ds))
    assert model.config == mc
    x = torch.from_numpy(ds.X_valid)
    torch.testing.assert_close(model(x), run.model.eval()(x))


def test_cli_trains_a_recurrent_network_with_its_flags(capsys):
    code = main(
        [
            "--dataset",
            "first_symbol",
            "--model",
            "lstm",
            "--hidden",
            "8",
            "--seq-len",
            "6",
            "--n-sequences",
            "64",
            "--noise",
            "0.1",
            "--forget-bias",
            "3",
            "--clip-grad",
            "1",
            "--epochs",
            "2",
            "--json",
        ]  # fmt: skip
    )
    assert code == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["epochs"] == 2 and 0 <= result["valid_accuracy"] <= 1
    assert result["n_params"] == 4 * (8 * 1 + 8 * 8 + 2 * 8) + 9


def test_a_recurrent_runs_command_parses_back_to_its_settings():
    ds = data.load("first_symbol", seq_len=12, n_sequences=64, noise=0.1)
    mc = ModelConfig(ds.input_shape, 1, "binary", kind="lstm", hidden=(8, 8), forget_bias=3.0)
    tc = TrainConfig(clip_grad=1.0, epochs=2)
    args = build_parser().parse_args(
        shlex.split(command_of("first_symbol", settings_of(mc, tc, ds)))[3:]
    )
    assert (args.model, args.hidden, args.forget_bias, args.clip_grad) == ("lstm", [8, 8], 3.0, 1.0)
    assert (args.seq_len, args.n_sequences, args.noise) == (12, 64, 0.1)
    gru = settings_of(ModelConfig(ds.input_shape, 1, "binary", kind="gru"), tc, ds)
    assert "forget-bias" not in gru  # only an LSTM has a forget gate
