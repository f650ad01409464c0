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
from models.fast_step import FastStep, fast_step_for, steps_for
from models.tensors import clone_state


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
    slow._fast_paths = False  # every advance() chooses autograd and optimizer.step()
    slow._forward_backward, slow._optimizer_step = steps_for(slow, fast=False)
    return fast, slow


def _runs(task: str, hidden: tuple[int, ...], **train) -> tuple[TrainingRun, TrainingRun]:
    """A fast and a slow run of one ReLU MLP on synthetic `task` data (`_pair`)."""
    ds = _dataset(task)
    return _pair(ds, _config(ds, hidden=hidden, activation="relu"), TrainConfig(**train))


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
    assert not isinstance(slow._forward_backward, FastStep)
    assert (fast._optimizer_step == fast.optimizer.step) == (opt != "adam")
    fast.advance(max_steps=5)  # slices change nothing, on either path
    fast.advance()
    slow.advance()
    assert fast.status == "finished"
    _assert_same(fast, slow)


def test_a_diverging_run_ends_the_same_on_both_paths():
    fast, slow = _runs("regression", (16,), epochs=30, batch_size=4, lr=50.0, optimizer="sgd")
    fast.advance()
    slow.advance()
    assert fast.status == "diverged"
    assert fast.stop_params == slow.stop_params
    _assert_same(fast, slow)


def test_an_adam_run_restored_after_divergence_trains_on_the_same_way():
    # Adam's steps are about lr long: only a huge one overflows a float32 in an epoch.
    fast, slow = _runs("regression", (16,), epochs=30, batch_size=4, lr=1e10, optimizer="adam")
    for run in (fast, slow):
        run.advance()
        assert run.status == "diverged"
        run.status = "running"  # as if the student went on from the restored weights
        run.optimizer.param_groups[0]["lr"] = 1e-3
        run.set_epochs(run.epoch + 2)
        run.advance()
    _assert_same(fast, slow)


def test_an_mnist_sized_step_on_two_threads_is_bit_for_bit_too():
    # Big enough for the trainer to use every thread it may (models.threads): the matmuls and
    # reductions split across threads the same way on both paths.
    ds = _dataset("multiclass", (28, 28), n=512, classes=10)
    mc = _config(ds, hidden=(128,), activation="relu")
    tc = TrainConfig(epochs=2, batch_size=128, lr=1e-3, optimizer="adam", seed=0)
    fast, slow = _pair(ds, mc, tc)
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        assert fast.threads is None or fast.threads > 1
        fast.advance(threads=2)
        slow.advance(threads=2)
    finally:
        torch.set_num_threads(before)
    _assert_same(fast, slow)


def test_lean_adam_reads_a_reloaded_state_and_a_new_learning_rate():
    fast, slow = _runs("multiclass", (8,), epochs=40, batch_size=5, lr=0.01, optimizer="adam")
    for run in (fast, slow):
        run.advance(max_steps=6)
        saved = clone_state(run.model.state_dict())
        saved_opt = clone_state(run.optimizer.state_dict())
        run.advance(max_steps=6)
        run.model.load_state_dict(saved)
        run.optimizer.load_state_dict(saved_opt)  # new state tensors, rewound 6 steps
        run.optimizer.param_groups[0]["lr"] = 0.05
        run.advance(max_steps=6)
    _assert_same(fast, slow)
    assert fast.step == 18


def test_lean_adam_reads_the_state_at_every_step():
    # One step function across a reload: it must use the new state tensors, not the old ones.
    results = []
    for lean in (True, False):
        w = nn.Parameter(torch.arange(4.0))
        opt = torch.optim.Adam([w], lr=0.1, fused=True)
        step = lean_adam_step(opt) if lean else opt.step
        for i in range(3):
            w.grad = torch.full((4,), float(i + 1))
            step()
        saved = clone_state(opt.state_dict())
        for _ in range(3):
            w.grad = torch.ones(4)
            step()
        opt.load_state_dict(saved)
        w.grad = -torch.ones(4)
        step()
        results.append((w.detach().clone(), clone_state(opt.state_dict())["state"][0]))
    (w_lean, s_lean), (w_slow, s_slow) = results
    assert torch.equal(w_lean, w_slow)
    assert all(torch.equal(s_lean[k], s_slow[k]) for k in s_lean)


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
    assert fast_step_for(build_model(mc), task, loss, input_shape=(5,)) is None


def test_a_cnn_a_hooked_model_or_a_frozen_layer_keeps_autograd():
    ds = _dataset("multiclass", (8, 8))
    cnn = build_model(_config(ds, kind="cnn", conv_channels=(2,), hidden=(4,)))
    assert fast_step_for(cnn, "multiclass", input_shape=(8, 8)) is None
    mlp = build_model(_config(ds, hidden=(4,)))
    assert fast_step_for(mlp, "multiclass", input_shape=(8, 8)) is not None
    handle = mlp[1].register_forward_hook(lambda *a: None)
    assert fast_step_for(mlp, "multiclass", input_shape=(8, 8)) is None
    handle.remove()
    handle = mlp[1].weight.register_hook(lambda grad: grad * 0)
    assert fast_step_for(mlp, "multiclass", input_shape=(8, 8)) is None
    handle.remove()
    mlp[1].weight.requires_grad_(False)
    assert fast_step_for(mlp, "multiclass", input_shape=(8, 8)) is None
    shared = nn.Linear(4, 4)
    twice = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), shared, nn.Tanh(), shared)
    assert fast_step_for(twice, "regression", input_shape=(3,)) is None
    no_flatten = nn.Sequential(nn.Linear(8, 3))
    assert fast_step_for(no_flatten, "multiclass", input_shape=(8, 8)) is None
    assert fast_step_for(no_flatten, "multiclass", input_shape=(8,)) is not None
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
