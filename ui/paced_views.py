"""The model a lab's own views draw while its run trains: a copy refreshed every VIEWS_REFRESH_SECONDS.

The live fragment redraws the status line and the training curves once a
second. A lab's own views (XOR's decision boundary, Iris's confusion matrix and
scatter, Boston's predicted-against-actual, ...) are Plotly charts, and
re-plotting them cost the browser more than anything else in a redraw, on the
core the trainer shares. Streamlit's frontend does not re-plot a chart whose
figure is unchanged, so between two refreshes the views draw from the same copy
of the model, their figures come out identical, and the browser does almost
nothing for them (bench/README.md, "Live training loop").

Only `model` is held back: the epoch, the history and everything else a view
reads are the run's own, live.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import torch

from models import inference_copy

# Twice the curves' once a second: every other redraw re-sends the views unchanged.
# Three seconds saved no more in a measured Iris run, and an XOR run that lasts 4 s
# would then show its boundary move once.
VIEWS_REFRESH_SECONDS = 2.0


@dataclass
class ViewsModel:
    """The copy the lab's views draw from while the run trains, and when it was taken (LabSession)."""

    model: torch.nn.Module | None = None
    generation: int = -1
    """The LiveRun generation the copy was taken from: a new run never shows an old model."""
    taken: float = 0.0
    figures: dict[Hashable, Any] = field(default_factory=dict)
    """What the views built from this copy (paced_figure), dropped with it."""


T = TypeVar("T")


class PacedRun:
    """A borrowed run whose `model` is the views' copy; every other attribute is the run's own.

    Valid only inside the borrow it wraps: reads go through the BorrowedRun,
    which refuses them once its with-block has ended.
    """

    __slots__ = ("_run", "_model", "_figures")

    def __init__(
        self, run: Any, model: torch.nn.Module, figures: dict[Hashable, Any] | None = None
    ) -> None:
        self._run = run
        self._model = model
        self._figures = {} if figures is None else figures

    def __getattr__(self, name: str) -> Any:
        if name == "model":
            return self._model
        return getattr(self._run, name)


def paced_run(
    run: Any,
    memo: ViewsModel,
    generation: int,
    refresh: bool = False,
    now: float | None = None,
) -> Any:
    """`run` as the lab's views should see it while it trains.

    Its model is a copy (models.inference_copy) taken at most
    VIEWS_REFRESH_SECONDS ago, kept in `memo`; a new copy is taken when that
    time has passed, when the run is another one (`generation`), or when
    `refresh` is set (the page itself is drawing, after a click). A run without
    a single model (a RunGroup) is returned as it is.
    """
    model = getattr(run, "model", None)
    if model is None:
        return run
    now = time.perf_counter() if now is None else now
    if (
        refresh
        or memo.model is None
        or memo.generation != generation
        or now - memo.taken >= VIEWS_REFRESH_SECONDS
    ):
        memo.model, memo.generation, memo.taken = inference_copy(model), generation, now
        memo.figures = {}
    return PacedRun(run, memo.model, memo.figures)


def paced_figure(run: Any, key: Hashable, build: Callable[[], T]) -> T:
    """`build()`, or while a run trains, what it gave at an earlier redraw from the same model copy.

    Between two refreshes of the views' copy their figures come out the same, so
    building them again (a decision boundary's grid, a confusion matrix) is server
    time the trainer waits for. `key` must name whatever else the figure depends
    on that can change without a full rerun (a choice made inside the live
    fragment); the copy, the run's data, the language and the page's widgets
    change only with a new copy. A run that is not training is drawn afresh.
    """
    if not isinstance(run, PacedRun):
        return build()
    if key not in run._figures:
        run._figures[key] = build()
    return run._figures[key]
