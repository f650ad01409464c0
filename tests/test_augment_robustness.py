"""lessons/robustness.py: MNIST digits re-drawn as on the pad, and a model's clean against re-drawn accuracy."""

from __future__ import annotations

import numpy as np
import pytest

import data
from lessons.robustness import THICKNESS, redraw, redrawn_set, robustness


@pytest.fixture(scope="module")
def valid():
    ds = data.load("mnist", n_train=10, n_valid=500)
    return np.asarray(ds.X_valid), np.asarray(ds.y_valid)


@pytest.fixture(scope="module")
def small_set(valid):
    return redrawn_set(*valid, n=40, seed=0)


def test_a_redrawn_digit_is_a_pad_canvas_with_the_digit_somewhere_on_it(valid):
    canvas = redraw(valid[0][0], scale=0.5, thickness=6, rng=np.random.default_rng(0))
    assert canvas.shape == (280, 280, 4) and canvas.dtype == np.uint8
    ink = canvas[:, :, 3] > 0
    rows = np.flatnonzero(ink.any(axis=1))
    assert 60 <= rows[-1] - rows[0] + 1 <= 90  # 0.5x of a 140 px digit, plus the thicker pen


def test_the_set_is_seeded_and_holds_model_ready_digits(valid, small_set):
    again = redrawn_set(*valid, n=40, seed=0)
    other = redrawn_set(*valid, n=40, seed=1)
    assert np.array_equal(small_set.images, again.images)
    assert not np.array_equal(small_set.labels, other.labels)
    assert small_set.images.shape == (40, 28, 28) and small_set.images.dtype == np.uint8
    assert (small_set.images.reshape(40, -1).max(axis=1) == 255).all()  # none blank
    assert not np.array_equal(small_set.images, small_set.originals)
    assert set(np.unique(small_set.thickness)) <= set(range(THICKNESS[0], THICKNESS[1] + 1))
    assert redrawn_set(*valid, n=10_000, seed=0).images.shape[0] == 500  # capped at the data


def test_robustness_scores_the_same_digits_clean_and_redrawn(small_set):
    always_three = robustness(lambda X: np.full(len(X), 3), small_set)
    share = float((small_set.labels == 3).mean())
    assert always_three.clean_accuracy == always_three.redrawn_accuracy == pytest.approx(share)
    assert always_three.gap == 0 and always_three.n == 40
    # A predictor that knows the clean digits but not their re-drawings: the whole gap shows.
    lookup = {
        img.tobytes(): label
        for img, label in zip(small_set.originals, small_set.labels, strict=True)
    }
    knows_originals = robustness(
        lambda X: np.array([lookup.get(x.tobytes(), -1) for x in X]), small_set
    )
    assert knows_originals.clean_accuracy == 1.0 and knows_originals.redrawn_accuracy == 0.0
    assert knows_originals.gap == 1.0
    assert set(knows_originals.by_thickness) <= {"-4..-1", "-1..2", "2..5", "5..9"}


def test_the_shared_redrawn_set_is_made_once_and_read_only():
    import numpy as np

    import data
    from lessons.robustness import shared_redrawn_set

    ds = data.load("mnist", n_train=100, n_valid=200)
    first = shared_redrawn_set(ds.X_valid, ds.y_valid, 50, 0)
    assert shared_redrawn_set(ds.X_valid, ds.y_valid, 50, 0) is first
    assert not first.images.flags.writeable
    assert shared_redrawn_set(ds.X_valid, ds.y_valid, 60, 0) is not first  # another size
    assert len(first.labels) == 50 and np.isin(first.labels, np.arange(10)).all()
