"""Backprop lab: hand-derived gradients of the 2-2-1 network vs torch.autograd."""

import numpy as np
import pytest

from lessons.backprop import (
    OUTPUTS,
    Params,
    autograd_gradients,
    backward,
    forward,
    train,
    update,
)

ACTS = ["sigmoid", "tanh", "relu", "leaky_relu", "softplus", "elu", "gelu"]


@pytest.mark.parametrize("activation", ACTS)
@pytest.mark.parametrize("output", list(OUTPUTS))
@pytest.mark.parametrize("seed", range(3))
def test_hand_gradients_match_autograd(activation, output, seed):
    rng = np.random.default_rng(seed)
    params = Params.from_flat(rng.normal(size=9))
    x, y = rng.normal(size=2), float(rng.uniform(0, 1))
    fwd = forward(params, x, y, activation, output)
    mine = backward(params, fwd, activation)
    ref = autograd_gradients(params, x, y, activation, output)
    for name in ("Z2", "H1", "Z1", "W1", "b1", "W2", "b2"):
        np.testing.assert_allclose(getattr(mine, name), getattr(ref, name), rtol=1e-10, atol=1e-12)


def test_forward_values_by_hand():
    params = Params.from_flat([1, 0, 0, 1, 0, 0, 1, 1, 0])  # W1 = I, b = 0, W2 = [1, 1]
    fwd = forward(params, [2.0, -1.0], 1.0, "relu", "linear")
    np.testing.assert_array_equal(fwd.Z1, [2.0, -1.0])
    np.testing.assert_array_equal(fwd.H1, [2.0, 0.0])
    assert fwd.y_hat == 2.0 and fwd.loss == 0.5
    grads = backward(params, fwd, "relu")
    np.testing.assert_array_equal(grads.Z2, [1.0])  # ∂L/∂Z = ŷ − y
    np.testing.assert_array_equal(grads.W2, [[2.0], [0.0]])  # ∂L/∂W = H · ∂L/∂Z
    np.testing.assert_array_equal(grads.b2, grads.Z2)  # ∂L/∂b = ∂L/∂Z
    np.testing.assert_array_equal(grads.W1, [[2.0, 0.0], [-1.0, 0.0]])


def test_update_is_w_minus_lr_times_gradient():
    rng = np.random.default_rng(1)
    params = Params.from_flat(rng.normal(size=9))
    grads = backward(params, forward(params, [0.5, 1.0], 0.3), "sigmoid")
    new = update(params, grads, lr=0.1)
    np.testing.assert_allclose(new.W1, params.W1 - 0.1 * grads.W1)
    np.testing.assert_allclose(new.b2, params.b2 - 0.1 * grads.b2)
    np.testing.assert_allclose(Params.from_flat(new.flat()).W2, new.W2)


@pytest.mark.parametrize("output", list(OUTPUTS))
def test_loss_falls_over_steps(output):
    params = Params.from_flat(np.random.default_rng(2).normal(size=9))
    history = train(params, [1.0, 0.5], 1.0, lr=0.2, steps=30, output=output)
    losses = [s.forward.loss for s in history]
    assert all(b < a or b < 1e-12 for a, b in zip(losses, losses[1:], strict=False))
    assert losses[-1] < 0.2 * losses[0]


def test_bad_inputs_are_explained():
    params = Params.from_flat(np.zeros(9))
    with pytest.raises(ValueError, match="between 0 and 1"):
        forward(params, [0, 0], 2.0, output="sigmoid")
    with pytest.raises(ValueError, match="9 parameters"):
        Params.from_flat([1, 2, 3])
