"""models.fast_step and models.fast_adam: the same run, bit for bit, as autograd and Adam.step().

Each case trains the same seeded TrainingRun twice: as built (the hand-written step and
the lean Adam call where they apply) and with both switched off, so autograd and
optimizer.step() do the work. Weights, optimizer state and every step's loss must be equal,
not close: the fast paths call the same kernels on the same operands.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from data import Dataset
from models import ModelConfig, TrainConfig, TrainingRun, build_model
from models.fast_adam import lean_adam_step
from models.fast_step import FastStep, autograd_step, fast_step_for


def _dataset(task: str, shape: tuple[int, ...] = (5,), n: int = 45, classes: int = 3) -> Dataset:
    rng = np.random.default_rng(7)
    X = rng.normal(size=(n + 20, *shape)).astype(np.float32)
    if task == "regression":
        y = (X.reshape(len(X), -1).sum(1) + rng.normal(size=len(X))).astype(np.float32)
    else:
        y = rng.integers(0, classes if task == "multiclass" else 2, size=len(X)).astype(np.int64)
    return Dataset(
        name="synthetic",
        task=task,
        X_train=X[:n],
        y_train=y[:n],
        X_valid=X[n:],
        y_valid=y[n:],
        feature_names=[f"x{i}" for i in range(int(np.prod(shape)))],
        class_names=[str(c) for c in range(classes)] if task == "multiclass" else None,
    )


def _config(ds: Dataset, **kw) -> ModelConfig:
    n_out = len(ds.class_names) if ds.task == "multiclass" else 1
    return ModelConfig(input_shape=ds.X_train.shape[1:], n_outputs=n_out, task=ds.task, **kw)


def _pair(ds: Dataset, mc: ModelConfig, tc: TrainConfig) -> tuple[TrainingRun, TrainingRun]:
    fast, slow = TrainingRun(ds, mc, tc), TrainingRun(ds, mc, tc)
    slow._forward_backward = autograd_step(slow.model, slow.loss_fn, slow._params)
    slow._optimizer_step = slow.optimizer.step
    return fast, slow


def _assert_same(fast: TrainingRun, slow: TrainingRun) -> None:
    for (name, a), b in zip(
        fast.model.state_dict().items(), slow.model.state_dict().values(), strict=True
    ):
        assert torch.equal(a, b), name
    sa, sb = fast.optimizer.state_dict()["state"], slow.optimizer.state_dict()["state"]
    assert sa.keys() == sb.keys()
    for k in sa:
        for name in sa[k]:
            assert torch.equal(torch.as_tensor(sa[k][name]), torch.as_tensor(sb[k][name])), name
    assert fast.history.step_loss == slow.history.step_loss
    assert [r.get("valid_loss") for r in fast.history.epochs] == [
        r.get("valid_loss") for r in slow.history.epochs
    ]
    assert (fast.status, fast.step, fast.epoch) == (slow.status, slow.step, slow.epoch)


CASES = [
    # (task, input shape, hidden, activation, loss, optimizer, batch, extra TrainConfig)
    ("multiclass", (5,), (8,), "relu", "auto", "adam", 1, {}),
    ("multiclass", (5,), (8, 6), "tanh", "auto", "adam", 7, {}),
    ("multiclass", (5,), (6,), "sigmoid", "auto", "sgd", 4, {}),
    ("multiclass", (4, 4), (10,), "relu", "auto", "adam", 8, {}),  # image input: Flatten first
    ("multiclass", (5,), (), "relu", "auto", "momentum", 5, {}),  # no hidden layer
    ("multiclass", (5,), (8,), "relu", "auto", "adam", 6, {"weight_decay": 1e-2}),
    ("multiclass", (5,), (8,), "tanh", "auto", "rmsprop", 6, {"clip_grad": 0.05}),
    ("binary", (2,), (3,), "relu", "auto", "adam", 1, {}),  # XOR's shape
    ("binary", (5,), (8, 4), "sigmoid", "auto", "momentum", 6, {"clip_grad": 0.1}),
    ("regression", (5,), (8, 4), "relu", "auto", "adam", 8, {}),
    ("regression", (5,), (8,), "tanh", "mse", "sgd", 3, {}),
]


@pytest.mark.parametrize("task, shape, hidden, act, loss, opt, batch, extra", CASES)
def test_fast_paths_train_bit_for_bit_like_autograd(
    task, shape, hidden, act, loss, opt, batch, extra
):
    ds = _dataset(task, shape)
    mc = _config(ds, hidden=hidden, activation=act)
    tc = TrainConfig(epochs=4, batch_size=batch, lr=0.02, optimizer=opt, loss=loss, seed=3, **extra)
    fast, slow = _pair(ds, mc, tc)
    assert isinstance(fast._forward_backward, FastStep)
    assert (fast._optimizer_step == fast.optimizer.step) == (opt != "adam")
    fast.advance(max_steps=5)  # slices change nothing, on either path
    fast.advance()
    slow.advance()
    assert fast.status == "finished"
    _assert_same(fast, slow)


def test_a_diverging_run_ends_the_same_on_both_paths():
    ds = _dataset("regression")
    mc = _config(ds, hidden=(16,), activation="relu")
    tc = TrainConfig(epochs=30, batch_size=4, lr=50.0, optimizer="sgd", seed=1)
    fast, slow = _pair(ds, mc, tc)
    fast.advance()
    slow.advance()
    assert fast.status == "diverged"
    assert fast.stop_params == slow.stop_params
    _assert_same(fast, slow)
    # The restored state keeps training the same way (the lean Adam re-reads the loaded state).


def test_lean_adam_reads_a_reloaded_state_and_a_new_learning_rate():
    ds = _dataset("multiclass")
    mc = _config(ds, hidden=(8,), activation="relu")
    tc = TrainConfig(epochs=40, batch_size=5, lr=0.01, optimizer="adam", seed=2)
    fast, slow = _pair(ds, mc, tc)
    for run in (fast, slow):
        run.advance(max_steps=6)
        saved = {k: v.clone() for k, v in run.model.state_dict().items()}
        saved_opt = run.optimizer.state_dict()
        run.advance(max_steps=6)
        run.model.load_state_dict(saved)
        run.optimizer.load_state_dict(saved_opt)  # new state tensors: the old ones are gone
        run.optimizer.param_groups[0]["lr"] = 0.05
        run.advance(max_steps=6)
    _assert_same(fast, slow)


@pytest.mark.parametrize(
    "kw, task, loss",
    [
        ({"dropout": 0.2}, "multiclass", "auto"),
        ({"batchnorm": True}, "multiclass", "auto"),
        ({"activation": "leaky_relu"}, "multiclass", "auto"),
        ({"activation": "elu"}, "multiclass", "auto"),
        ({"activation": "gaussian"}, "multiclass", "auto"),
        ({}, "binary", "mse"),
        ({}, "multiclass", "mse"),
        ({"target_mean": 3.0, "target_std": 2.0}, "regression", "auto"),
    ],
)
def test_other_models_and_losses_keep_autograd(kw, task, loss):
    ds = _dataset(task)
    mc = _config(ds, hidden=(8,), **({"activation": "relu"} | kw))
    assert fast_step_for(build_model(mc), task, loss) is None


def test_a_cnn_a_hooked_model_or_a_frozen_layer_keeps_autograd():
    ds = _dataset("multiclass", (8, 8))
    cnn = build_model(_config(ds, kind="cnn", conv_channels=(2,), hidden=(4,)))
    assert fast_step_for(cnn, "multiclass") is None
    mlp = build_model(_config(ds, hidden=(4,)))
    assert fast_step_for(mlp, "multiclass") is not None
    handle = mlp[1].register_forward_hook(lambda *a: None)
    assert fast_step_for(mlp, "multiclass") is None
    handle.remove()
    mlp[1].weight.requires_grad_(False)
    assert fast_step_for(mlp, "multiclass") is None
    assert (
        fast_step_for(
            nn.Sequential(nn.Linear(3, 2), nn.ReLU(inplace=True), nn.Linear(2, 2)), "multiclass"
        )
        is None
    )


def test_lean_adam_only_for_a_plain_fused_adam():
    w = [nn.Parameter(torch.zeros(3))]
    assert lean_adam_step(torch.optim.Adam(w, fused=True)) is not None
    assert lean_adam_step(torch.optim.Adam(w)) is None  # not fused
    assert lean_adam_step(torch.optim.Adam(w, fused=True, amsgrad=True)) is None
    assert lean_adam_step(torch.optim.AdamW(w, fused=True)) is None
    assert lean_adam_step(torch.optim.SGD(w, lr=0.1)) is None


def test_lean_adam_leaves_hooked_steps_to_the_optimizer():
    w = nn.Parameter(torch.ones(3))
    opt = torch.optim.Adam([w], lr=0.1, fused=True)
    step = lean_adam_step(opt)
    calls = []
    w.grad = torch.ones(3)
    step()  # the first step sets the state up through optimizer.step()
    opt.register_step_post_hook(lambda *a: calls.append(1))
    step()
    assert calls == [1]
