"""Activation lab math: autograd derivatives vs the table's closed forms, and vanishing gradients."""

import numpy as np
import pytest
import torch

from lessons.activation_stats import (
    LAB_ORDER,
    all_chain_gradients,
    autograd_curve,
    chain_gradients,
    closed_form_derivative,
    formula_rows,
    max_derivative,
)


@pytest.mark.parametrize("name", LAB_ORDER)
@pytest.mark.parametrize("alpha", [0.01, 0.3])
def test_autograd_derivative_matches_closed_form(name, alpha):
    # An even point count keeps x = 0 (the kink of ReLU-like functions) off the grid.
    x, _, dy = autograd_curve(name, -6, 6, n=400, alpha=alpha)
    assert not np.any(x == 0)
    closed = closed_form_derivative(name, alpha)(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(dy, closed, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", LAB_ORDER)
def test_curve_values_match_torch_reference(name):
    x, y, _ = autograd_curve(name, -3, 3, n=50)
    reference = {
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": torch.relu,
        "leaky_relu": lambda t: torch.nn.functional.leaky_relu(t, 0.01),
        "softplus": torch.nn.functional.softplus,
        "elu": torch.nn.functional.elu,
        "gelu": torch.nn.functional.gelu,
        "gaussian": lambda t: torch.exp(-(t**2)),
    }[name]
    np.testing.assert_allclose(y, reference(torch.from_numpy(x)).numpy(), rtol=1e-12)


def test_leaky_relu_slope_follows_alpha():
    x, _, dy = autograd_curve("leaky_relu", -2, -1, n=5, alpha=0.3)
    np.testing.assert_allclose(dy, 0.3)


def test_sigmoid_derivative_never_exceeds_a_quarter():
    assert max_derivative("sigmoid") == pytest.approx(0.25, abs=1e-9)
    _, _, dy = autograd_curve("sigmoid", -50, 50, n=10001)
    assert dy.max() <= 0.25


@pytest.mark.parametrize("x0", [-2.0, 0.0, 0.5, 3.0])
def test_sigmoid_gradient_through_ten_layers_is_at_most_quarter_to_the_tenth(x0):
    g = chain_gradients("sigmoid", depth=10, x0=x0, weight=1.0)
    assert len(g) == 11 and g[0] == 1.0
    assert g[10] <= 0.25**10
    assert np.all(np.diff(g) < 0)  # shrinks at every layer


def test_chain_gradient_is_product_of_local_derivatives():
    # Hand-rolled chain rule: product of f'(z_l) for tanh with weight 0.8.
    h, local = torch.tensor(0.7, dtype=torch.float64), []
    for _ in range(6):
        z = 0.8 * h
        local.append(0.8 * (1 - torch.tanh(z) ** 2).item())
        h = torch.tanh(z)
    g = chain_gradients("tanh", depth=6, x0=0.7, weight=0.8)
    np.testing.assert_allclose(g[-1], np.prod(local), rtol=1e-12)


def test_relu_keeps_gradient_for_positive_input_and_kills_it_for_negative():
    grads = all_chain_gradients(depth=10, x0=1.0)
    assert grads["relu"][-1] == 1.0
    assert chain_gradients("relu", depth=10, x0=-1.0)[-1] == 0.0
    assert chain_gradients("leaky_relu", depth=10, x0=-1.0, alpha=0.1)[-1] == pytest.approx(1e-10)


def test_chain_needs_a_layer():
    with pytest.raises(ValueError, match="at least one layer"):
        chain_gradients("relu", depth=0)


def test_bad_range_and_unknown_name_explain_themselves():
    with pytest.raises(ValueError, match="smaller to a larger"):
        autograd_curve("relu", 2, 1)
    with pytest.raises(ValueError, match="Unknown activation"):
        autograd_curve("swish")


def test_formula_rows_cover_every_activation_with_latex():
    rows = formula_rows()
    assert [r["name"] for r in rows] == LAB_ORDER
    assert all(r["latex"].startswith("f(x)") and r["derivative_latex"] for r in rows)
