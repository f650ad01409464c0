"""The coach's rules that read only the curves: divergence, learning rate, over- and underfitting.

Each rule takes a RunView (and the guessing loss where it needs one) and
returns a Finding or None. Thresholds sit beside the reason for them.
"""

from __future__ import annotations

import numpy as np

from models.diagnose_finding import Finding, nice
from models.diagnose_view import RunView, finite

# lr_too_high: the last epochs looked at for a bouncing training loss.
BOUNCE_WINDOW = 10
# ... at least this share of them must go up: a falling loss with noise rises in only a few.
BOUNCE_RISE_SHARE = 0.4
# ... by this much on average (relative): Adam's ordinary jitter near a minimum is ~1-3%.
BOUNCE_MIN_RISE = 0.05
# ... while the loss is still at least this share of the guessing loss: a solved run's loss
# near zero may bounce by large fractions of almost nothing (XOR at 0.005 of 0.69), which is
# harmless; MNIST bouncing 0.05 -> 0.18 (of 2.3) with Adam at 0.02 is not.
BOUNCE_MIN_LEVEL = 0.01
# lr_too_low: judged after this many epochs, when the training loss fell less than
# LOW_LR_MAX_DROP in all (Boston, SGD 1e-6: 0.75% in 30 epochs)...
LOW_LR_MIN_EPOCHS = 3
LOW_LR_MAX_DROP = 0.05
# ... yet steadily (most epochs lower than the one before: a slow slide, not a plateau)...
LOW_LR_FALLING_SHARE = 2 / 3
# ... and still high: at least half of what guessing gets, so there is plenty left to learn.
HIGH_LOSS_SHARE = 0.5
# overfitting: validation loss this far above its minimum (MNIST on 500 digits: +19%),
# beyond noise on 80 Iris flowers or a few thousand digits...
OVERFIT_MIN_RISE = 0.10
# ... and for at least this many epochs since that minimum, so one bad epoch is not enough.
OVERFIT_MIN_EPOCHS_AFTER = 3
# underfitting: the last epochs looked at for a flat loss...
FLAT_WINDOW = 5
# ... which changed by less than this (relative) over that window.
FLAT_MAX_CHANGE = 0.02
# still_improving: validation loss fell by at least this over the last epochs (2 epochs of MNIST: -32%).
STILL_IMPROVING_MIN_DROP = 0.02
STILL_IMPROVING_WINDOW = 3


def _lr(view: RunView) -> float:
    return float(view.train_config.lr)


def diverged(view: RunView) -> Finding | None:
    """The loss stopped being a number: a learning rate too high (or, at the first batch, the data)."""
    if view.stop_code == "diverged_at_start":
        return Finding("diverged_at_start", {"value": str(view.stop_params.get("value", "nan"))})
    if view.status != "diverged" and view.bad_row is None:
        return None
    if view.bad_row is not None:
        epoch = int(view.bad_row.get("epoch", len(view.rows) + 1))
    else:
        epoch = int(view.stop_params.get("epoch", len(view.rows) + 1))
    lr = _lr(view)
    return Finding("diverged", {"epoch": epoch, "lr": lr}, {"lr": nice(lr / 10)})


def lr_too_high(view: RunView, chance: float | None) -> Finding | None:
    """Training loss bouncing up and down (or climbing) instead of settling."""
    losses = view.column("train_loss")
    if len(losses) < 4:  # three changes are the fewest in which a bounce can be told from noise
        return None
    window = losses[-(BOUNCE_WINDOW + 1) :]
    changes = np.diff(window)
    rises = [c / max(abs(a), 1e-12) for c, a in zip(changes, window[:-1], strict=True) if c > 0]
    level = chance if chance else losses[0]  # without data, the first epoch's loss stands in
    if (
        len(rises) < BOUNCE_RISE_SHARE * len(changes)
        or float(np.mean(rises)) < BOUNCE_MIN_RISE
        or min(window) < BOUNCE_MIN_LEVEL * level
    ):
        return None
    lr = _lr(view)
    evidence = {
        "rises": len(rises),
        "window": len(changes),
        "rise_pct": round(100 * float(np.mean(rises)), 1),
    }
    return Finding("lr_too_high", evidence, {"lr": nice(lr / 10)})


def lr_too_low(view: RunView, chance: float | None) -> Finding | None:
    """Training loss sliding down so slowly that the run barely moves."""
    losses = view.column("train_loss")
    if len(losses) < LOW_LR_MIN_EPOCHS or losses[0] <= 0:
        return None
    drop = (losses[0] - losses[-1]) / losses[0]
    falling = float(np.mean(np.diff(losses) < 0))
    still_high = chance is None or losses[-1] >= HIGH_LOSS_SHARE * chance
    if not (0 <= drop < LOW_LR_MAX_DROP and falling >= LOW_LR_FALLING_SHARE and still_high):
        return None
    evidence = {
        "first_loss": round(losses[0], 4),
        "last_loss": round(losses[-1], 4),
        "epochs": len(losses),
    }
    return Finding("lr_too_low", evidence, {"lr": nice(_lr(view) * 10)})


def overfitting(view: RunView) -> Finding | None:
    """Validation loss climbing from its minimum while the training loss keeps falling."""
    if view.restored_best:  # early stopping already put the best epoch's weights back
        return None
    rows = view.rows
    if len(rows) < OVERFIT_MIN_EPOCHS_AFTER + 1:
        return None
    best = min(range(len(rows)), key=lambda i: rows[i]["valid_loss"])
    best_loss, last = rows[best]["valid_loss"], rows[-1]
    if best_loss <= 0 or len(rows) - 1 - best < OVERFIT_MIN_EPOCHS_AFTER:
        return None
    rise = (last["valid_loss"] - best_loss) / best_loss
    if rise < OVERFIT_MIN_RISE or last["train_loss"] >= rows[best]["train_loss"]:
        return None
    evidence = {
        "epoch": int(last["epoch"]),
        "rise_pct": round(100 * rise, 1),
        "best_epoch": int(rows[best]["epoch"]),
    }
    mc, tc = view.model_config, view.train_config
    # Weight decay first: on MNIST's 500 digits (40 epochs, same seed) 1e-3 took the rise from
    # 19% to 6%, while Dropout 0.5 only took it to 12%.
    if tc.weight_decay < 1e-3:
        suggestion: dict = {"weight-decay": 1e-3}
    elif mc is None or mc.dropout < 0.5:
        suggestion = {"dropout": 0.5}
    else:
        suggestion = {"early-stopping": OVERFIT_MIN_EPOCHS_AFTER + 2}
    return Finding("overfitting", evidence, suggestion)


def _flat(values: list[float]) -> bool:
    window = values[-FLAT_WINDOW:]
    top = max(abs(v) for v in window)
    return top == 0 or (max(window) - min(window)) / top < FLAT_MAX_CHANGE


def underfitting(view: RunView, chance: float | None) -> Finding | None:
    """Both losses flat and close to what a model that ignores its input gets."""
    train, valid = view.column("train_loss"), view.column("valid_loss")
    if chance is None or chance <= 0 or len(train) < FLAT_WINDOW or len(valid) < FLAT_WINDOW:
        return None
    if not (_flat(train) and _flat(valid)):
        return None
    if min(train[-1], valid[-1]) < HIGH_LOSS_SHARE * chance:
        return None
    evidence = {
        "train_loss": round(train[-1], 4),
        "valid_loss": round(valid[-1], 4),
        "chance_loss": round(chance, 4),
        "window": FLAT_WINDOW,
    }
    hidden = view.model_config.hidden if view.model_config else (16,)
    wider = tuple(min(512, max(16, 2 * h)) for h in hidden) or (64,)
    return Finding("underfitting", evidence, {"hidden": wider})


def still_improving(view: RunView) -> Finding | None:
    """The run finished all its epochs while validation loss was still falling."""
    if view.status != "finished" or view.restored_best or view.stop_code == "loaded_from_file":
        return None
    valid = view.column("valid_loss")
    if len(valid) < 2:
        return None
    window = valid[-(STILL_IMPROVING_WINDOW + 1) :]
    if valid[-1] > min(valid) or not finite(window[0]) or window[0] <= 0:
        return None
    drop = (window[0] - window[-1]) / window[0]
    if drop < STILL_IMPROVING_MIN_DROP:
        return None
    evidence = {
        "drop_pct": round(100 * drop, 1),
        "window": len(window) - 1,
        "epoch": int(view.rows[-1]["epoch"]),
    }
    epochs = max(int(view.train_config.epochs), len(valid))
    return Finding("still_improving", evidence, {"epochs": 2 * epochs})
