"""Same seed, change one thing: the trainer repeats a run exactly, so a comparison shows the change alone.

Compare runs (ui/compare/) tells a student that two runs with the same seed
started from the same initial weights and saw the data in the same order.
These tests are what that sentence rests on: identical settings give
identical histories (equal, not close), with Dropout and on an MNIST subset
too, and changing only the learning rate keeps the initial weights and the
first batch.
"""

from __future__ import annotations

import dataclasses

import pytest

import data
from models import TrainConfig, TrainingRun
from tests.trainer_helpers import model_config, rows_without_timing, same_state, state


@pytest.fixture(scope="module")
def noisy_xor():
    """A noisy XOR cloud: 200 points, enough batches per epoch for the order to matter."""
    return data.load("xor", n_per_corner=50, noise=0.4)


@pytest.fixture(scope="module")
def mnist_subset():
    """The first 300 training digits (the n-train slider's kind of subset) and 200 validation ones."""
    return data.load("mnist", n_train=300, n_valid=200)


def _twice(ds, mc, tc) -> tuple[TrainingRun, TrainingRun]:
    """Two runs with the same settings, each trained to the end in slices of its own size."""
    a = TrainingRun(ds, mc, tc)
    b = TrainingRun(ds, mc, tc)
    a.advance()
    while not b.done:  # slices must not matter either
        b.advance(max_steps=7)
    return a, b


def _assert_identical(a: TrainingRun, b: TrainingRun) -> None:
    assert a.history.step_loss == b.history.step_loss  # every step's loss, to the bit
    assert rows_without_timing(a) == rows_without_timing(b)
    assert same_state(state(a.model), state(b.model))


def test_same_settings_give_identical_histories_with_dropout(noisy_xor):
    mc = model_config(noisy_xor, hidden=(16, 16), activation="relu", dropout=0.3)
    tc = TrainConfig(optimizer="adam", lr=0.01, batch_size=16, epochs=8, seed=3)
    a, b = _twice(noisy_xor, mc, tc)
    assert len(a.history.epochs) == 8
    _assert_identical(a, b)


def test_same_settings_give_identical_histories_on_an_mnist_subset(mnist_subset):
    mc = model_config(mnist_subset, hidden=(32,), dropout=0.2, batchnorm=True)
    tc = TrainConfig(optimizer="sgd", lr=0.1, batch_size=64, epochs=2, seed=5)
    a, b = _twice(mnist_subset, mc, tc)
    assert len(a.history.epochs) == 2
    _assert_identical(a, b)


def test_changing_only_lr_keeps_the_initial_weights_and_the_first_batch(noisy_xor):
    mc = model_config(noisy_xor, hidden=(8,), dropout=0.2)
    tc = TrainConfig(optimizer="sgd", lr=0.01, batch_size=16, epochs=3, seed=7)
    slow = TrainingRun(noisy_xor, mc, tc)
    fast = TrainingRun(noisy_xor, mc, dataclasses.replace(tc, lr=0.5))
    assert same_state(state(slow.model), state(fast.model))
    slow.advance(max_steps=2)
    fast.advance(max_steps=2)
    # The first step's loss is computed before any update: equal only if the weights,
    # the first batch (data order) and the Dropout mask are all the same.
    assert slow.history.step_loss[0] == fast.history.step_loss[0]
    # The second step sees the first update, which the learning rate scales.
    assert slow.history.step_loss[1] != fast.history.step_loss[1]


def test_another_seed_changes_the_initial_weights(noisy_xor):
    mc = model_config(noisy_xor, hidden=(8,))
    tc = TrainConfig(seed=1)
    one = TrainingRun(noisy_xor, mc, tc)
    two = TrainingRun(noisy_xor, mc, dataclasses.replace(tc, seed=2))
    assert not same_state(state(one.model), state(two.model))
