"""The comparison table: one row per run on the chart, only the settings that differ, worded."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from models import OPTIMIZER_LABELS
from models.config import MODEL_KINDS
from models.flags import FLAGS, format_value
from models.run_record import ComparisonRow
from ui.coach.words import recurrent_changes
from ui.compare.overlay import run_label
from ui.controls import ACTIVATION_LABELS
from ui.i18n import ENGLISH, Translator

DASH = "—"
# Choices written as the sidebar writes them, the same in every language...
LABELS = {
    "optimizer": OPTIMIZER_LABELS,
    "activation": ACTIVATION_LABELS,
    "model": {kind: kind.upper() for kind in MODEL_KINDS},
}
# ... or as its catalogue does.
TRANSLATED = {"init": "common.inits", "device": "common.devices"}
SWITCHES = {name for name, flag in FLAGS.items() if flag.kind == "bool"}
COLUMNS = (
    "run",
    "changes",
    "seed",
    "epochs",
    "final_loss",
    "best_loss",
    "best_loss_epoch",
    "final_metric",
    "best_metric",
    "best_metric_epoch",
    "seconds",
    "status",
)


def change_text(
    changes: Sequence[tuple[str, object, object]],
    tr: Translator = ENGLISH,
    recurrent: bool = False,
) -> str:
    """`Learning rate 0.01 → 0.1, Hidden layer sizes 3 → 5`: each differing setting, in `tr`'s language.

    Settings are named as the controls name them, values written as a link writes them
    (on and off for switches); a setting the catalogue does not name keeps its flag's name.
    `recurrent`: the runs are recurrent networks, whose "hidden" is their hidden state's size.
    """
    if recurrent:  # one hidden size per layer: worded as a state size and a layer count
        changes = recurrent_changes(changes)
    return tr("compare.table.separator").join(
        f"{_setting_name(name, tr)} {_value(name, before, tr)} → {_value(name, after, tr)}"
        for name, before, after in changes
    )


def _setting_name(name: str, tr: Translator) -> str:
    key = f"compare.setting_names.{name}"
    text = tr(key)
    return name if text == key else text


def _value(name: str, value: object, tr: Translator) -> str:
    if isinstance(value, bool) or name in SWITCHES:
        return tr("compare.setting_values.on" if value else "compare.setting_values.off")
    if name in LABELS and value in LABELS[name]:  # as the sidebar shows the choice: "Adam"
        return LABELS[name][value]
    if name in TRANSLATED:  # "init" -> common.inits.xavier
        key = f"{TRANSLATED[name]}.{value}"
        text = tr(key)
        return format_value(name, value) if text == key else text
    return format_value(name, value)


def _number(value: float | None, spec: str) -> str:
    return DASH if value is None else format(value, spec)


def _status(row: ComparisonRow, current: bool, training: bool, tr: Translator) -> str:
    if current and training:
        return tr("common.status.training")
    if row.status == "running":  # stopped before its last epoch: paused, or replaced mid-run
        return tr("common.status.paused") if current else tr("compare.status.unfinished")
    return tr(f"common.status.{row.status}")


def comparison_frame(
    rows: Sequence[ComparisonRow],
    task: str,
    tr: Translator,
    current: int | None = None,
    training: bool = False,
    recurrent: bool = False,
) -> pd.DataFrame:
    """The table for `rows` (models.run_record.comparison_rows) in `tr`'s language.

    `current` is the number of the current run; while it is `training`, its
    numbers are left out (the table is drawn between redraws, so they would
    already be stale) and its status says so.
    """
    metric = "rmse" if task == "regression" else "accuracy"
    metric_spec = ".3f" if task == "regression" else ".1%"
    out = []
    for row in rows:
        is_current = row.number == current
        blank = is_current and training
        if row.is_baseline:
            changes = tr("compare.table.baseline")
        else:
            changes = change_text(row.changes, tr, recurrent) or tr("compare.table.no_change")
        seed_key = "compare.table.same_seed" if row.same_seed else "compare.table.other_seed"
        values = {
            "run": run_label(row.number, tr, current=is_current),
            "changes": changes,
            "seed": tr(seed_key, seed=row.seed),
            "epochs": DASH if blank else str(row.epochs),
            "final_loss": DASH if blank else _number(row.final_loss, ".4f"),
            "best_loss": DASH if blank else _number(row.best_loss, ".4f"),
            "best_loss_epoch": DASH if blank or not row.best_loss_epoch else row.best_loss_epoch,
            "final_metric": DASH if blank else _number(row.final_metric, metric_spec),
            "best_metric": DASH if blank else _number(row.best_metric, metric_spec),
            "best_metric_epoch": (
                DASH if blank or not row.best_metric_epoch else row.best_metric_epoch
            ),
            "seconds": DASH if blank else f"{row.seconds:.2f}",
            "status": _status(row, is_current, training, tr),
        }
        out.append({column_name(c, metric, tr): str(values[c]) for c in COLUMNS})
    return pd.DataFrame(out)


def column_name(column: str, metric: str, tr: Translator) -> str:
    """A column's header; the metric's columns name the metric (accuracy or RMSE)."""
    if "metric" in column:
        return tr(f"compare.columns.{column}.{metric}")
    return tr(f"compare.columns.{column}")
