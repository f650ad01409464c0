"""The coach's rules that look at the data or inside the model: missing classes, dead ReLUs, gradients, baselines.

Each is skipped (returns None) when what it needs is missing: an archived run
keeps no model, and a run given without its dataset cannot be probed. The
model is only ever read through copies, so its mode, weights and gradients
stay as the trainer left them.
"""

from __future__ import annotations

import copy

import numpy as np
import torch
from torch import nn

from models.diagnose_finding import Finding
from models.diagnose_view import RunView, finite
from models.inspect import dead_units as dead_mask
from models.inspect import hidden_activations
from models.tasks import loss_function, target_dtype
from models.tensors import as_tensor, to_model_input

# Gradients are measured on this many training inputs: one backward pass of the
# course recipe (784-500-500-10) on 256 digits takes a few milliseconds.
GRAD_BATCH = 256
# dead_units: always worth saying when at least half the hidden ReLUs are dead (XOR seed 2: 2 of 3)...
DEAD_ALWAYS_SHARE = 0.5
# ... and from a fifth of them when the network also fits its training data poorly. A healthy
# run may carry some dead units (Boston's default run: 22 of 64 in one layer, RMSE 2.5), which is
# no problem worth a warning.
DEAD_SOME_SHARE = 0.2
# A poor fit: training loss still at least a quarter of what guessing gets (XOR stuck at 75%: 0.5).
POOR_FIT_SHARE = 0.25
# vanishing_gradients: the first layer's gradient (RMS per weight) at most this share of the last's.
# The course recipe measures 0.003-0.005, healthy MNIST, Iris and Boston networks 0.03-0.3.
VANISHING_RATIO = 0.01
# ... and only while the network is stuck (loss at least half the guessing loss).
STUCK_SHARE = 0.5
# mse_on_softmax: cross-entropy would push the first layer at least this many times harder. It
# grows with the number of classes: ~50x for MNIST's 10 (the course recipe), ~5x for Iris's 3;
# below 3x a somewhat larger learning rate would make up the difference.
MSE_MIN_FACTOR = 3.0
# worse_than_baseline: judged once the run is done, or once its validation loss has had no new
# minimum for this many epochs (the network may start far worse than a line and catch up).
SETTLED_EPOCHS = 10


def class_missing(view: RunView) -> Finding | None:
    """A class that never appears in the training data can never be predicted (Iris's course split)."""
    ds = view.dataset
    names = getattr(ds, "class_names", None)
    if ds is None or not names or view.task == "regression":
        return None
    y_train, y_valid = np.asarray(ds.y_train).astype(int), np.asarray(ds.y_valid).astype(int)
    train_counts = np.bincount(y_train, minlength=len(names))
    valid_counts = np.bincount(y_valid, minlength=len(names))
    missing = [i for i in range(len(names)) if train_counts[i] == 0]
    if not missing or len(y_valid) == 0:
        return None
    unseen = int(sum(valid_counts[i] for i in missing))
    evidence = {
        "missing": " / ".join(str(names[i]) for i in missing),
        "unseen": unseen,
        "n_valid": len(y_valid),
        "best_accuracy": round(1 - unseen / len(y_valid), 4),
    }
    if getattr(ds, "split", "recommended") == "course":
        suggestion: dict = {"split": "recommended"}
    else:
        suggestion = {}
    return Finding("class_missing", evidence, suggestion)


def _poor_fit(view: RunView, chance: float | None, share: float) -> bool:
    loss = view.recent_train_loss()
    return chance is not None and loss is not None and loss >= share * chance


def dead_units(view: RunView, chance: float | None) -> Finding | None:
    """Hidden ReLU units that output 0 for every training input: their gradient is 0, they never recover.

    Dense hidden layers only (a CNN's feature maps are not counted); a
    recurrent network has no such layers.
    """
    mc = view.model_config
    if not isinstance(view.model, nn.Sequential) or not view.has_labels():
        return None
    if mc is None or mc.activation != "relu":
        return None
    if view.status == "ready":  # a network nobody trained yet is not a finding
        return None
    X, _ = view.sample()
    acts = hidden_activations(view.model, X)
    units = sum(a.shape[1] for a in acts)
    dead = int(sum(dead_mask(a).sum() for a in acts))
    if not units or not dead:
        return None
    share = dead / units
    if share < DEAD_ALWAYS_SHARE and not (
        share >= DEAD_SOME_SHARE and _poor_fit(view, chance, POOR_FIT_SHARE)
    ):
        return None
    return Finding(
        "dead_units",
        {"dead": dead, "units": units, "n_inputs": len(X)},
        {"activation": "leaky_relu"},
    )


def _weight_layers(model: nn.Module) -> list[nn.Module]:
    return [m for m in model.modules() if isinstance(m, nn.Linear | nn.Conv2d)]


def _gradients(view: RunView, loss: str) -> list[float]:
    """RMS gradient per weight layer (first to last) under `loss`, measured on a copy in eval mode.

    Eval mode: dropout off (so no random numbers are drawn) and BatchNorm's
    running statistics, so the copy's forward pass changes nothing. The copy
    and each loss's result are kept on the view: a call of diagnose copies
    the model at most once.
    """
    cache = view.cache.setdefault("gradients", {})
    if loss in cache:
        return cache[loss]
    if "probe" not in view.cache:
        with torch.no_grad():
            probe = copy.deepcopy(view.model).eval()
        for p in probe.parameters():
            p.requires_grad_(True)
        X, y = view.sample(GRAD_BATCH)
        view.cache["probe"] = (probe, to_model_input(as_tensor(X)), torch.as_tensor(y))
    probe, xb, yb = view.cache["probe"]
    for p in probe.parameters():
        p.grad = None
    task = view.task
    with torch.enable_grad():
        loss_function(task, loss)(probe(xb), yb.to(target_dtype(task))).backward()
    cache[loss] = [float(m.weight.grad.pow(2).mean().sqrt()) for m in _weight_layers(probe)]
    return cache[loss]


def vanishing_gradients(view: RunView, chance: float | None) -> Finding | None:
    """The first layer's gradients orders of magnitude below the last's, while the network is stuck."""
    if view.model is None or not view.has_labels() or len(_weight_layers(view.model)) < 2:
        return None
    if not _poor_fit(view, chance, STUCK_SHARE):
        return None
    grads = _gradients(view, view.train_config.loss)
    first, last = grads[0], grads[-1]
    if not (finite(first) and finite(last)) or last <= 0 or first > VANISHING_RATIO * last:
        return None
    evidence = {
        "first": first,
        "last": last,
        "factor": round(last / max(first, 1e-30), 1),
    }
    activation = view.model_config.activation if view.model_config else "relu"
    suggestion = {"activation": "relu"} if activation != "relu" else {"batchnorm": True}
    return Finding("vanishing_gradients", evidence, suggestion)


def mse_on_softmax(view: RunView, chance: float | None) -> Finding | None:
    """MSE on the output probabilities (the slides' old recipe) starves the network of gradient."""
    if view.task not in ("binary", "multiclass") or view.train_config.loss != "mse":
        return None
    if view.model is None or not view.has_labels() or not _poor_fit(view, chance, STUCK_SHARE):
        return None
    first_mse = _gradients(view, "mse")[0]
    first_ce = _gradients(view, "auto")[0]
    factor = first_ce / max(first_mse, 1e-30)
    if not finite(factor) or factor < MSE_MIN_FACTOR:
        return None
    return Finding("mse_on_softmax", {"factor": round(factor, 1)}, {"loss": "auto"})


def _settled(view: RunView) -> bool:
    if view.done:
        return True
    valid = view.column("valid_loss")
    return len(valid) > SETTLED_EPOCHS and min(valid[-SETTLED_EPOCHS:]) >= min(valid)


def worse_than_baseline(view: RunView) -> Finding | None:
    """A regression network that predicts worse than a straight line (linear regression) on the same split."""
    ds, row = view.dataset, view.current_row()
    if view.task != "regression" or not view.has_labels() or row is None:
        return None
    if getattr(ds.X_train, "ndim", 2) != 2:
        return None  # the straight line is fitted on a table of features, not on sequences
    rmse = row.get("valid_rmse")
    if not finite(rmse) or not _settled(view):
        return None
    from models.baselines import fit_baseline  # scikit-learn loads only when a regression run asks

    linear = fit_baseline(ds, "linear").metrics["rmse"]
    if rmse <= linear:
        return None
    tc, mc = view.train_config, view.model_config
    if tc.optimizer != "adam" or tc.lr < 1e-3:
        suggestion: dict = {"optimizer": "adam", "lr": 0.003}
    elif mc is not None and mc.dropout >= 0.3:
        suggestion = {"dropout": 0.0}
    else:
        suggestion = {"epochs": 2 * max(1, int(tc.epochs))}
    return Finding(
        "worse_than_baseline",
        {"rmse": round(float(rmse), 3), "linear_rmse": round(float(linear), 3)},
        suggestion,
    )
