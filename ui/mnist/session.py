"""The MNIST lab's own per-session state, beside its LabSession (ui.state)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ui.state import session_object


@dataclass
class MnistSession:
    """What the MNIST page remembers for one browser session, besides its run."""

    csv_dataset: tuple[tuple, Any] | None = None
    """(uploaded files' ids, their Dataset or the UploadFailure of reading them)."""
    announced_own: bool = False
    """The student's own model has taken over the model picker once."""
    valid_predictions: tuple[tuple, Any, tuple[Any, Any]] | None = None
    """(model version, validation array, (predicted digits, confidences)) for the Inspect tab."""
    live_estimate: tuple[int, int, float | None, float] | None = None
    """(run generation, step, accuracy on the first digits, when measured) while training."""


def mnist_session() -> MnistSession:
    """This session's MnistSession, created on first use."""
    return session_object("mnist_session", MnistSession)
