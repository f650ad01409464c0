"""models.loss_function against torch's reference losses, for every task and loss choice."""

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from models import LOSS_NAMES, OUTPUT_ACTIVATIONS, loss_function
from models.tasks import predictions, probabilities, target_dtype

N, C = 16, 5


def _data(task: str, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    if task == "multiclass":
        return torch.randn(N, C, generator=g) * 3, torch.randint(0, C, (N,), generator=g)
    logits = torch.randn(N, 1, generator=g) * 3
    if task == "binary":
        return logits, torch.randint(0, 2, (N,), generator=g).float()
    return logits, torch.randn(N, generator=g) * 10


REFERENCES = {
    "regression": (nn.MSELoss(), lambda logits: logits[:, 0]),
    "binary": (nn.BCEWithLogitsLoss(), lambda logits: logits[:, 0]),
    "multiclass": (nn.CrossEntropyLoss(), lambda logits: logits),
}


@pytest.mark.parametrize("task", ["regression", "binary", "multiclass"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_auto_loss_matches_the_torch_reference_and_its_gradient(task, seed):
    logits, y = _data(task, seed)
    ref_fn, shape = REFERENCES[task]
    assert LOSS_NAMES[(task, "auto")] == type(ref_fn).__name__
    a = logits.clone().requires_grad_()
    b = logits.clone().requires_grad_()
    ours = loss_function(task)(a, y.to(target_dtype(task)))
    ref = ref_fn(shape(b), y)
    assert ours.shape == () and ours.item() == pytest.approx(ref.item(), rel=1e-6)
    ours.backward()
    ref.backward()
    torch.testing.assert_close(a.grad, b.grad)


def test_multiclass_mse_is_mse_of_softmax_against_one_hot():
    logits, y = _data("multiclass")
    one_hot = torch.zeros(N, C)
    one_hot[torch.arange(N), y] = 1.0
    expected = ((torch.softmax(logits, dim=1) - one_hot) ** 2).mean()
    assert loss_function("multiclass", "mse")(logits, y).item() == pytest.approx(
        expected.item(), rel=1e-6
    )
    # ...which is not cross-entropy
    assert loss_function("multiclass", "mse")(logits, y).item() != pytest.approx(
        F.cross_entropy(logits, y).item()
    )


def test_binary_mse_is_mse_of_sigmoid_and_regression_mse_is_plain_mse():
    logits, y = _data("binary")
    expected = ((torch.sigmoid(logits[:, 0]) - y) ** 2).mean()
    assert loss_function("binary", "mse")(logits, y).item() == pytest.approx(
        expected.item(), rel=1e-6
    )
    logits, y = _data("regression")
    assert loss_function("regression", "mse")(logits, y).item() == pytest.approx(
        nn.MSELoss()(logits[:, 0], y).item(), rel=1e-6
    )


def test_mse_on_softmax_gradient_vanishes_when_saturated():
    # The lesson behind the "mse" option: a confidently wrong softmax barely moves under MSE,
    # while cross-entropy still pushes hard.
    logits = torch.tensor([[20.0, 0.0, 0.0]], requires_grad=True)
    y = torch.tensor([1])
    loss_function("multiclass", "mse")(logits, y).backward()
    mse_grad = logits.grad.abs().max().item()
    logits.grad = None
    loss_function("multiclass")(logits, y).backward()
    assert mse_grad < 1e-6 < logits.grad.abs().max().item()


def test_probabilities_and_predictions_follow_the_output_layer_table():
    assert OUTPUT_ACTIVATIONS == {
        "regression": "identity",
        "binary": "sigmoid",
        "multiclass": "softmax",
    }
    logits, _ = _data("binary")
    p = probabilities("binary", logits)
    assert p.shape == (N, 2)
    torch.testing.assert_close(p[:, 1], torch.sigmoid(logits[:, 0]))
    torch.testing.assert_close(p.sum(1), torch.ones(N))
    assert torch.equal(predictions("binary", logits), (logits[:, 0] > 0).long())
    logits, _ = _data("multiclass")
    torch.testing.assert_close(probabilities("multiclass", logits), torch.softmax(logits, 1))
    assert torch.equal(predictions("multiclass", logits), logits.argmax(1))
    with pytest.raises(ValueError, match="Regression"):
        probabilities("regression", logits)


@pytest.mark.parametrize(
    ("task", "loss", "message"),
    [
        ("multiclass", "hinge", "Unknown loss 'hinge'"),
        ("ranking", "auto", "Unknown task 'ranking'"),
    ],
)
def test_unknown_loss_or_task_is_a_value_error(task, loss, message):
    with pytest.raises(ValueError, match=message):
        loss_function(task, loss)
