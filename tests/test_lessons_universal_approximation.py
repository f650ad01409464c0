"""Universal approximation lab: targets, datasets and the per-unit terms α_i φ(w_i x + b_i)."""

import numpy as np
import pytest
import torch
from torch import nn

from lessons.universal_approximation import (
    DEFAULT_POINTS,
    DOMAIN,
    TARGETS,
    Y_LIMIT,
    check_points,
    make_dataset,
    target_values,
    unit_contributions,
)


@pytest.mark.parametrize("activation", [nn.Tanh, nn.ReLU, nn.Sigmoid])
def test_contributions_sum_to_the_network_output(activation):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(1, 7), activation(), nn.Linear(7, 1))
    x = np.linspace(*DOMAIN, 50)
    c = unit_contributions(model, x)
    assert c.terms.shape == (7, 50)
    with torch.no_grad():
        out = model(torch.tensor(x, dtype=torch.float32)[:, None])[:, 0].numpy()
    np.testing.assert_allclose(c.total, out, rtol=1e-5, atol=1e-5)
    # Each term is literally α_i φ(w_i x + b_i).
    phi = activation()
    i = 3
    by_hand = c.alpha[i] * phi(torch.tensor(c.w[i] * x + c.b[i])).numpy()
    np.testing.assert_allclose(c.terms[i], by_hand, rtol=1e-4, atol=1e-5)
    assert len(c.strongest(3)) == 3


def test_contributions_reject_other_architectures():
    with pytest.raises(ValueError, match="Linear\\(1, N\\)"):
        unit_contributions(nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1)), [0.0])


@pytest.mark.parametrize("target", list(TARGETS))
def test_datasets_sample_their_target(target):
    ds = make_dataset(target, n_train=64, seed=1)
    assert ds.task == "regression" and ds.X_train.shape == (64, 1) and ds.y_train.shape == (64,)
    assert ds.X_train.dtype == np.float32 and ds.y_train.dtype == np.float32
    np.testing.assert_allclose(ds.y_train, target_values(target, ds.X_train[:, 0]), atol=1e-5)
    assert ds.X_train.min() >= DOMAIN[0] and ds.X_train.max() <= DOMAIN[1]


def test_target_formulas():
    np.testing.assert_allclose(target_values("sin", np.array([0.5])), [1.0])
    np.testing.assert_array_equal(target_values("abs", np.array([-2.0])), [2.0])
    np.testing.assert_array_equal(target_values("step", np.array([-0.1, 0.0])), [0, 1])
    np.testing.assert_allclose(target_values("polynomial", np.array([2.0])), [4.0])


def test_points_dataset_and_validation():
    ds = make_dataset("points")
    assert len(ds.X_train) == len(DEFAULT_POINTS)
    np.testing.assert_array_equal(check_points([[1, 2], [-1, 0]]), [[-1, 0], [1, 2]])
    for bad, message in [
        ([[0, 1]], "at least two"),
        ([[0, 1], [None, 2]], "fill in or delete"),
        ([[0, 1], ["abc", 2]], "not a number"),
        ([[0, 1], [5, 2]], "between -2 and 2"),
        ([[0, 1], [0, 2]], "same x"),
        ([[0, 1], [1, 1e30]], "y between -100 and 100"),  # overflowed the float32 loss
        ([[0, -Y_LIMIT - 1], [1, 0]], "y between"),
    ]:
        with pytest.raises(ValueError, match=message):
            check_points(bad)


def test_points_at_the_limits_are_accepted():
    ds = make_dataset("points", points=[[DOMAIN[0], -Y_LIMIT], [DOMAIN[1], Y_LIMIT]])
    assert np.all(np.isfinite(ds.y_train)) and ds.y_train.tolist() == [-Y_LIMIT, Y_LIMIT]
