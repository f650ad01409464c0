"""Why a run stopped: a code and its params for the UI, and the English sentence for the CLI.

TrainingRun carries all three: `stop_code` and `stop_params` (worded by the UI
from errors.<code> in ui/locales, see data/errors.py) and `stop_reason`, the
sentence below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DIVERGED_MESSAGE = (
    "The loss became {value} at epoch {epoch}, step {step}: training diverged. "
    "The learning rate is probably too high for this optimizer - try a value 10x smaller. "
    "The weights were restored to {good}, the last good ones."
)
# A loss that is not finite on the very first batch comes before any update, so no
# learning rate can be the cause; advising a smaller one would send the student astray.
DIVERGED_AT_START_MESSAGE = (
    "The loss was {value} on the very first batch, before any weight had changed, so the learning rate "
    "is not the cause. Some input or target values are too large (or not numbers) for the network to "
    "compute with: check the data, or bring its values to a smaller scale."
)
EARLY_STOP_MESSAGE = (
    "Validation loss has not improved for {patience} epochs, so training stopped early. "
    "The weights from epoch {epoch} (the best validation loss, {loss:.4g}) were restored."
)
RESTORED_BEST_MESSAGE = "Restored the weights from epoch {epoch}, the best validation loss."
LOADED_MESSAGE = "Loaded from a model file."


@dataclass(frozen=True)
class StopReason:
    """Why a run stopped: `code` and `params` name it, `message` says it in English."""

    code: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)


def diverged(
    value: float, epoch: int, step: int, good_epoch: int, after_update: bool = False
) -> StopReason:
    """The loss became `value` (NaN or inf) at `step`; weights went back to the end of `good_epoch`.

    `after_update`: the loss was measured after `step`'s update (the validation loss), so
    even at step 1 the data is not the only suspect.
    """
    if step == 1 and not after_update:
        message = DIVERGED_AT_START_MESSAGE.format(value=value)
        return StopReason("diverged_at_start", message, {"value": value})
    where = {"value": value, "epoch": epoch, "step": step}
    if not good_epoch:
        message = DIVERGED_MESSAGE.format(**where, good="their initial values")
        return StopReason("diverged_initial", message, where)
    message = DIVERGED_MESSAGE.format(**where, good=f"the end of epoch {good_epoch}")
    return StopReason("diverged", message, {**where, "good_epoch": good_epoch})


def early_stopped(patience: int, epoch: int, loss: float) -> StopReason:
    """No better validation loss for `patience` epochs; the best (epoch `epoch`) was restored."""
    params = {"patience": patience, "epoch": epoch, "loss": loss}
    return StopReason("early_stopped", EARLY_STOP_MESSAGE.format(**params), params)


def restored_best(epoch: int) -> StopReason:
    """The run finished and the weights of `epoch`, the best validation loss, were restored."""
    return StopReason("restored_best", RESTORED_BEST_MESSAGE.format(epoch=epoch), {"epoch": epoch})


LOADED = StopReason("loaded_from_file", LOADED_MESSAGE)
