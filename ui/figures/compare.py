"""Several runs on one chart: each in its own colour, training solid and validation dashed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from ui.figures.training import _figure, _mode, column
from ui.i18n import ENGLISH, Translator
from ui.palette import BLACK, BLUE, GREEN, ORANGE, PURPLE, SKY, VERMILLION

# Okabe-Ito without its yellow, which is hard to see as a thin line on white.
RUN_COLOURS = (BLUE, ORANGE, GREEN, PURPLE, VERMILLION, SKY, BLACK)


@dataclass(frozen=True)
class Curves:
    """One run's per-epoch rows as a chart draws them: its label, colour, and whether it is current."""

    label: str
    colour: str
    rows: Sequence[Mapping[str, Any]]
    current: bool = False


def run_colours(numbers: Sequence[int]) -> dict[int, str]:
    """A colour per run number: its own (number-1 mod 7), or the next free one if already taken.

    A run keeps its colour from chart to chart unless two runs on one chart
    would share it.
    """
    taken: dict[int, str] = {}
    for n in sorted(numbers):
        i = (n - 1) % len(RUN_COLOURS)
        while RUN_COLOURS[i] in taken.values() and len(taken) < len(RUN_COLOURS):
            i = (i + 1) % len(RUN_COLOURS)
        taken[n] = RUN_COLOURS[i]
    return taken


def _pair(
    run: Curves, train_key: str | None, valid_key: str, tr: Translator
) -> list[dict[str, Any]]:
    """The run's training (solid) and validation (dashed) traces, grouped under its label."""
    x, mode = column(run.rows, "epoch"), _mode(len(run.rows))
    width = 2.5 if run.current else 1.5
    traces = []
    if train_key is not None:
        traces.append(
            dict(
                x=x,
                y=column(run.rows, train_key),
                name=f"{run.label} · {tr('training_charts.training')}",
                legendgroup=run.label,
                mode=mode,
                line=dict(color=run.colour, width=width),
            )
        )
    traces.append(
        dict(
            x=x,
            y=column(run.rows, valid_key),
            name=f"{run.label} · {tr('training_charts.validation')}",
            legendgroup=run.label,
            mode=mode,
            line=dict(color=run.colour, width=width, dash="dash"),
            marker=dict(symbol="diamond"),
        )
    )
    return traces


def compare_loss_figure(runs: Sequence[Curves], tr: Translator = ENGLISH) -> go.Figure:
    """Training and validation loss per epoch of every run in `runs`."""
    traces = [t for run in runs for t in _pair(run, "train_loss", "valid_loss", tr)]
    return _figure(
        traces,
        tr("training_charts.loss_title"),
        tr("training_charts.epoch"),
        tr("training_charts.loss"),
    )


def compare_metric_figure(runs: Sequence[Curves], task: str, tr: Translator = ENGLISH) -> go.Figure:
    """Accuracy per epoch (training and validation), or validation RMSE for regression, of every run."""
    if task == "regression":
        traces = [t for run in runs for t in _pair(run, None, "valid_rmse", tr)]
        return _figure(
            traces,
            tr("training_charts.error_title"),
            tr("training_charts.epoch"),
            tr("training_charts.valid_rmse"),
        )
    traces = [t for run in runs for t in _pair(run, "train_accuracy", "valid_accuracy", tr)]
    return _figure(
        traces,
        tr("training_charts.accuracy_title"),
        tr("training_charts.epoch"),
        tr("training_charts.accuracy"),
        y_range=[0, 1.02],
    )
