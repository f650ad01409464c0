"""Backprop lab: hand-derived gradients of the 2-2-1 network vs torch.autograd."""

import numpy as np
import pytest
import torch

from lessons.backprop import (
    OUTPUTS,
    Params,
    at_kink,
    autograd_gradients,
    backward,
    forward,
    train,
    update,
)

ACTS = ["sigmoid", "tanh", "relu", "leaky_relu", "softplus", "elu", "gelu"]
ACTIVATION_MODULES = {
    "sigmoid": torch.nn.Sigmoid,
    "tanh": torch.nn.Tanh,
    "relu": torch.nn.ReLU,
    "leaky_relu": torch.nn.LeakyReLU,  # 0.01, the lab's default α too
    "softplus": torch.nn.Softplus,
    "elu": torch.nn.ELU,
    "gelu": torch.nn.GELU,
}


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


@pytest.mark.parametrize("activation", ACTS)
@pytest.mark.parametrize("output", list(OUTPUTS))
def test_several_steps_match_torch_optim_sgd(activation, output):
    # Reference: the same 2-2-1 network as torch modules, trained by autograd + torch.optim.SGD.
    params = Params.from_flat(np.random.default_rng(3).normal(size=9))
    x, y, lr, steps = [0.5, -1.0], 0.8, 0.3, 5
    net = torch.nn.Sequential(
        torch.nn.Linear(2, 2), ACTIVATION_MODULES[activation](), torch.nn.Linear(2, 1)
    ).double()
    with torch.no_grad():  # nn.Linear stores W transposed: (out, in)
        net[0].weight.copy_(torch.from_numpy(params.W1.T))
        net[0].bias.copy_(torch.from_numpy(params.b1))
        net[2].weight.copy_(torch.from_numpy(params.W2.T))
        net[2].bias.copy_(torch.from_numpy(params.b2))
    loss_fn = (
        (lambda z, t: 0.5 * (z - t) ** 2)
        if output == "linear"
        else torch.nn.functional.binary_cross_entropy_with_logits
    )
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    xt, yt = torch.tensor([x], dtype=torch.float64), torch.tensor([[y]], dtype=torch.float64)
    torch_losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = loss_fn(net(xt), yt).sum()
        torch_losses.append(loss.item())
        loss.backward()
        opt.step()
    history = train(params, x, y, lr, steps, activation, output)
    np.testing.assert_allclose([s.forward.loss for s in history], torch_losses, rtol=1e-12)
    last = update(history[-1].params, history[-1].grads, lr)
    np.testing.assert_allclose(last.W1, net[0].weight.detach().numpy().T, rtol=1e-12)
    np.testing.assert_allclose(last.b1, net[0].bias.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(last.W2, net[2].weight.detach().numpy().T, rtol=1e-12)
    np.testing.assert_allclose(last.b2, net[2].bias.detach().numpy(), rtol=1e-12)


def test_large_weights_agree_in_relative_terms():
    # Weights near the lab's bound of a million make gradients near 1e20; two correct
    # computations may then differ in the last digits, never in the leading ones.
    rng = np.random.default_rng(4)
    for _ in range(50):
        params = Params.from_flat(rng.uniform(-1e6, 1e6, size=9))
        x, y = rng.uniform(-10, 10, size=2), float(rng.uniform(0, 1))
        for output in OUTPUTS:
            mine = backward(params, forward(params, x, y, "tanh", output), "tanh")
            ref = autograd_gradients(params, x, y, "tanh", output)
            assert mine.max_relative_difference(ref) < 1e-12


def test_kink_is_only_reported_where_autograd_takes_another_slope():
    params = Params.from_flat([0, 0, 0, 0, 0, 0.3, 1, 1, 0])  # Z1 = [0, 0.3]
    fwd = forward(params, [1.0, 1.0], 1.0, "relu")
    assert at_kink("relu", fwd.Z1) and at_kink("leaky_relu", fwd.Z1)
    assert not at_kink("elu", fwd.Z1)  # ELU's two slopes meet at 1
    assert not at_kink("relu", [0.1, -0.3])
    ref = autograd_gradients(params, [1.0, 1.0], 1.0, "relu")
    mine = backward(params, fwd, "relu")
    assert mine.max_relative_difference(ref) > 0.1  # slides: slope 1 at 0, torch: 0
    elu = backward(params, forward(params, [1.0, 1.0], 1.0, "elu"), "elu")
    assert elu.max_relative_difference(autograd_gradients(params, [1.0, 1.0], 1.0, "elu")) == 0
