"""The optimizer table, its error messages, and the start-up warm-up."""

import subprocess
import sys
from pathlib import Path

import pytest
import torch

from models import OPTIMIZERS, make_optimizer
from models.optimizers import DEFAULT_MOMENTUM

ROOT = Path(__file__).resolve().parents[1]


def test_every_optimizer_takes_a_step_downhill():
    for name in OPTIMIZERS:
        w = torch.nn.Parameter(torch.tensor([3.0]))
        opt = make_optimizer(name, [w], lr=0.1)
        for _ in range(5):
            opt.zero_grad()
            (w**2).sum().backward()
            opt.step()
        assert abs(w.item()) < 3.0, name  # momentum may overshoot 0, but the loss w² fell


def test_momentum_is_sgd_with_the_textbook_momentum():
    w = torch.nn.Parameter(torch.zeros(1))
    opt = make_optimizer("momentum", [w], lr=0.1)
    assert isinstance(opt, torch.optim.SGD)
    assert opt.param_groups[0]["momentum"] == DEFAULT_MOMENTUM == 0.9


def test_unknown_name_and_bad_learning_rate_read_as_sentences():
    w = torch.nn.Parameter(torch.zeros(1))
    with pytest.raises(ValueError, match="Unknown optimizer 'adagrad'. Choose one of: sgd"):
        make_optimizer("adagrad", [w], lr=0.1)
    with pytest.raises(ValueError, match="must be positive"):
        make_optimizer("adam", [w], lr=0.0)


def test_warm_up_pays_torchs_lazy_import_before_the_first_real_optimizer():
    # In a fresh interpreter: this test process has long imported everything.
    code = (
        "import sys; from models.optimizers import warm_up; "
        "assert 'torch._dynamo' not in sys.modules, 'already imported: the test proves nothing'; "
        "warm_up(); assert 'torch._dynamo' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
