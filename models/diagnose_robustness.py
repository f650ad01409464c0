"""The coach's look at drawn digits: a model that reads MNIST but not other hands.

MNIST's digits are centred, scaled and stroked alike; a student's drawing on
the pad is not. lessons.robustness re-draws validation digits at other sizes,
positions and stroke widths, as the pad preprocesses them; a model much
worse on those than on the originals needs augmentation (`--augment`).
"""

from __future__ import annotations

import numpy as np

from models.diagnose_finding import Finding
from models.diagnose_view import RunView

# The MLP trained without augmentation loses 1.5 points on re-drawn digits and
# the shipped augmented one 0.2-0.5 (bench/README.md, robustness): a point or
# more is what augmentation takes away.
MIN_GAP = 0.01


def _redrawn(X: np.ndarray, y: np.ndarray):
    """The re-drawn validation digits the Inspect tab scores too (made once per process)."""
    from lessons.robustness import shared_redrawn_set  # the pad's preprocessing: image runs only

    return shared_redrawn_set(X, y)


def robustness_gap(view: RunView) -> Finding | None:
    """A finished digit model whose accuracy on re-drawn digits is well below its clean accuracy."""
    ds, model, tc = view.dataset, view.model, view.train_config
    if model is None or ds is None or not view.done or view.task != "multiclass":
        return None
    X = getattr(ds, "X_valid", None)
    if X is None or tuple(X.shape[1:]) != (28, 28) or getattr(tc, "augment", False):
        return None
    from lessons.robustness import robustness
    from models.predict import predict

    result = robustness(lambda images: predict(model, images), _redrawn(X, ds.y_valid))
    if result.gap < MIN_GAP:
        return None
    evidence = {
        "clean_pct": round(100 * result.clean_accuracy, 1),
        "redrawn_pct": round(100 * result.redrawn_accuracy, 1),
        "n": result.n,
    }
    return Finding("robustness_gap", evidence, {"augment": True})
