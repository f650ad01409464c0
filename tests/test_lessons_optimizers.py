"""Optimizer lab: paths come from real torch.optim and behave as the textbooks say."""

import numpy as np
import pytest
import torch

from lessons.loss_surfaces import SURFACES, get_surface
from lessons.optimizer_paths import BLOW_UP, compare, run_path
from models.optimizers import OPTIMIZERS, make_optimizer


@pytest.mark.parametrize("surface", list(SURFACES))
def test_surfaces_evaluate_points_and_grids(surface):
    s = SURFACES[surface]
    xs, ys, Z = s.grid(30)
    assert Z.shape == (30, 30) and np.all(np.isfinite(Z))
    p = torch.tensor([xs[3], ys[5]], dtype=torch.float64)
    assert float(s.loss(p)) == pytest.approx(Z[5, 3])
    for minimum in s.minima:  # the gradient vanishes at each listed minimum
        m = torch.tensor(minimum, dtype=torch.float64, requires_grad=True)
        s.loss(m).backward()
        assert m.grad.abs().max() < 1e-9


def test_sgd_path_is_plain_gradient_descent():
    bowl = get_surface("Bowl")
    path = run_path(bowl, "sgd", lr=0.1, steps=3, start=(2.0, -1.0))
    expected = [np.array([2.0, -1.0])]
    for _ in range(3):
        expected.append(expected[-1] - 0.1 * 2 * expected[-1])  # ∇(x² + y²) = 2p
    np.testing.assert_allclose(path.points, expected)


def test_adam_first_step_has_length_lr_per_coordinate():
    # Adam's bias-corrected first step is lr * g / |g| = lr * sign(g): a signature of torch.optim.Adam.
    path = run_path(get_surface("Rosenbrock"), "adam", lr=0.05, steps=1, start=(-1.5, 2.0))
    np.testing.assert_allclose(np.abs(path.points[1] - path.points[0]), [0.05, 0.05], rtol=1e-6)


def test_path_matches_torch_optim_run_by_hand():
    s = get_surface("Saddle")
    p = torch.tensor(s.start, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.01, momentum=0.9)
    for _ in range(20):
        opt.zero_grad()
        s.loss(p).backward()
        opt.step()
    path = run_path(s, "momentum", 0.01, steps=20)
    np.testing.assert_allclose(path.points[-1], p.detach().numpy())


def _walk_alone(surface, name: str, lr: float, steps: int, start):
    """One optimizer's path with its own loss and backward pass each step, as a student would write it."""
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = make_optimizer(name, [p], lr=lr)
    points, losses, diverged = [p.detach().clone().numpy()], [], False
    for t in range(steps + 1):
        opt.zero_grad()
        loss = surface.loss(p)
        if not np.isfinite(float(loss.detach())):
            points.pop()
            diverged = True
            break
        losses.append(float(loss.detach()))
        if t == steps:
            break
        loss.backward()
        opt.step()
        point = p.detach().clone().numpy()
        if not np.all(np.isfinite(point)) or np.abs(point).max() > BLOW_UP:
            diverged = True
            break
        points.append(point)
    return np.array(points), np.array(losses), diverged


@pytest.mark.parametrize("surface", list(SURFACES))
@pytest.mark.parametrize(
    "lr", [1e-3, 0.1, 3.0]
)  # 3.0 makes some of them blow up, at different steps
def test_optimizers_stepping_side_by_side_take_exactly_the_paths_they_take_alone(surface, lr):
    s = get_surface(surface)
    start = (s.x_range[0] * 0.7, s.y_range[1] * 0.7)
    paths = compare(s, dict.fromkeys(OPTIMIZERS, lr), steps=150, start=start)
    assert [p.optimizer for p in paths] == list(OPTIMIZERS)
    for path in paths:
        points, losses, diverged = _walk_alone(s, path.optimizer, lr, 150, start)
        assert path.diverged == diverged, path.optimizer
        assert np.array_equal(path.points, points), path.optimizer  # bit for bit
        assert np.array_equal(path.losses, losses), path.optimizer


def test_every_optimizer_converges_on_the_bowl():
    paths = compare(get_surface("Bowl"), {"sgd": 0.1, "momentum": 0.01, "adam": 0.1}, steps=300)
    for path in paths:
        assert not path.diverged
        assert path.final_loss < 1e-6, path.explanation()
        assert np.linalg.norm(path.points[-1]) < 1e-3


def test_adam_and_momentum_beat_sgd_on_rosenbrock():
    s = get_surface("Rosenbrock")
    sgd, momentum = compare(s, {"sgd": 1e-3, "momentum": 1e-3}, steps=500)
    adam = run_path(s, "adam", 0.1, steps=500)
    assert not sgd.diverged
    assert momentum.final_loss < 0.1 * sgd.final_loss
    assert adam.final_loss < 0.1 * sgd.final_loss
    assert np.linalg.norm(adam.points[-1] - [1, 1]) < 0.3


def test_exploding_learning_rate_is_caught():
    path = run_path(get_surface("Rosenbrock"), "sgd", lr=0.1, steps=100)
    assert path.diverged
    assert len(path.points) < 100
    assert np.all(np.isfinite(path.points))
    assert "smaller learning rate" in path.explanation()


def test_unknown_names_are_explained():
    with pytest.raises(ValueError, match="Unknown surface"):
        get_surface("Himalaya")
    with pytest.raises(ValueError, match="Unknown optimizer"):
        run_path(get_surface("Bowl"), "lbfgs", 0.1)
