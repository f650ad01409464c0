"""The sequence tasks of the RNN lab: shapes, answers that follow from the inputs, seeds, bad options."""

from __future__ import annotations

import numpy as np
import pytest

import data
from data.errors import CodedError
from data.sequences import SEQUENCE_TASKS, WAVE_PERIODS


@pytest.mark.parametrize("task", SEQUENCE_TASKS)
def test_shapes_types_and_sizes(task):
    ds = data.load(task, seq_len=7, n_sequences=40)
    features = 2 if task == "marked_sum" else 1
    assert ds.X_train.shape == (40, 7, features) and ds.X_valid.shape == (10, 7, features)
    assert ds.X_train.dtype == np.float32
    assert ds.input_shape == (7, features) and ds.n_outputs == 1
    if task == "first_symbol":
        assert ds.task == "binary" and ds.y_train.dtype == np.int64
    else:
        assert ds.task == "regression" and ds.y_train.dtype == np.float32 and ds.y_train.ndim == 1


def test_first_symbol_answer_is_the_first_bit():
    ds = data.load("first_symbol", seq_len=12, n_sequences=200)
    np.testing.assert_array_equal(ds.y_train, ds.X_train[:, 0, 0].astype(np.int64))
    assert set(np.unique(ds.X_train)) == {0.0, 1.0}
    assert 0.35 < ds.y_train.mean() < 0.65  # both answers are common


def test_marked_sum_answer_is_the_sum_of_the_two_marked_values_one_per_half():
    ds = data.load("marked_sum", seq_len=10, n_sequences=100)
    values, markers = ds.X_train[..., 0], ds.X_train[..., 1]
    assert np.all(markers.sum(axis=1) == 2)
    assert np.all(markers[:, :5].sum(axis=1) == 1) and np.all(markers[:, 5:].sum(axis=1) == 1)
    np.testing.assert_allclose(ds.y_train, (values * markers).sum(axis=1), rtol=1e-6)


def test_wave_answer_continues_the_clean_sine():
    # A sampled sine obeys x(t+1) = 2 cos(w) x(t) - x(t-1); estimate cos(w) from the window.
    ds = data.load("noisy_wave", seq_len=20, n_sequences=100, noise=0.0)
    x = ds.X_train[..., 0].astype(np.float64)
    t = np.argmax(np.abs(x[:, 1:-1]), axis=1) + 1  # a point far from 0 in each window
    rows = np.arange(len(x))
    cos_w = (x[rows, t + 1] + x[rows, t - 1]) / (2 * x[rows, t])
    predicted = 2 * cos_w * x[:, -1] - x[:, -2]
    np.testing.assert_allclose(ds.y_train, predicted, atol=1e-4)
    periods = 2 * np.pi / np.arccos(np.clip(cos_w, -1, 1))
    assert np.all((periods > WAVE_PERIODS[0] - 0.1) & (periods < WAVE_PERIODS[1] + 0.1))


@pytest.mark.parametrize("task", SEQUENCE_TASKS)
def test_noise_goes_on_the_inputs_never_on_the_answers(task):
    clean = data.load(task, seq_len=9, n_sequences=60, noise=0.0)
    noisy = data.load(task, seq_len=9, n_sequences=60, noise=0.3)
    np.testing.assert_array_equal(clean.y_train, noisy.y_train)
    np.testing.assert_array_equal(clean.y_valid, noisy.y_valid)
    diff = noisy.X_train[..., 0] - clean.X_train[..., 0]
    assert 0.2 < diff.std() < 0.4


@pytest.mark.parametrize("task", SEQUENCE_TASKS)
def test_same_seed_same_data_other_seed_other_data_and_valid_independent(task):
    a = data.load(task, seed=3, seq_len=6, n_sequences=40)
    b = data.load(task, seed=3, seq_len=6, n_sequences=40)
    c = data.load(task, seed=4, seq_len=6, n_sequences=40)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    assert not np.array_equal(a.X_train, c.X_train)
    assert not np.array_equal(a.X_train[:10], a.X_valid)


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"seq_len": 1}, "seq_len_range"),
        ({"seq_len": 501}, "seq_len_range"),
        ({"seq_len": 2.5}, "seq_len_range"),
        ({"seq_len": True}, "seq_len_range"),
        ({"n_sequences": 3}, "n_sequences_range"),
        ({"n_sequences": 10**6}, "n_sequences_range"),
        ({"noise": -0.1}, "noise_negative"),
        ({"noise": float("nan")}, "noise_negative"),
        ({"noise": "loud"}, "noise_negative"),
    ],
)
def test_bad_options_raise_a_coded_error(options, code):
    with pytest.raises(CodedError) as info:
        data.load("first_symbol", **options)
    assert info.value.code == code


def test_unknown_option_is_refused():
    with pytest.raises(ValueError, match="does not take"):
        data.load("noisy_wave", n_per_corner=3)
