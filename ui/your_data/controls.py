"""The "Your data" lab's data controls: target, features, task, split; and the Dataset they make."""

from __future__ import annotations

from dataclasses import dataclass, replace

import streamlit as st

from data import Dataset
from data.csv_table_dataset import default_n_train, detect_task, table_dataset, target_scale
from data.errors import CodedError
from models.config import ModelConfig
from ui.controls import RESTART, restart_help
from ui.language import error_text, t, translator
from ui.state import remember_choice
from ui.your_data.upload import YourTable, default_features, default_target, set_choice

TASK_CHOICES = ("auto", "regression", "binary", "multiclass")
SPLITS = ("recommended", "course")
MISSING_CODES = {"csv_cell_empty", "csv_cell_missing"}


@dataclass(frozen=True)
class TableChoice:
    """What to learn from the table; equal choices make the same Dataset (and keep the run)."""

    target: str
    features: tuple[str, ...]
    task: str | None
    """None: the detected task."""
    split: str
    n_train: int | None
    """The first N rows that train ("course" split only)."""
    drop_missing: bool


def _on_target_change(table: YourTable) -> None:
    # A new target: the features become every other numeric column, the task is detected again.
    target = st.session_state["your_data_target"]
    set_choice("features", default_features(table.report, target))
    set_choice("task", "auto")


def task_ui(table: YourTable, target: str) -> str | None:
    """The task: detected (with the reason) or chosen; returns None for the detected one."""
    report = table.report
    guess = detect_task(table.frame[target], report.decimal_comma)
    tr = translator()
    detected = tr(f"your_data.tasks.{guess.task}")
    labels = {"auto": tr("your_data.task.auto", task=detected)} | {
        task: tr(f"your_data.tasks.{task}") for task in TASK_CHOICES[1:]
    }
    task = st.selectbox(
        tr("your_data.task.label") + RESTART,
        TASK_CHOICES,
        format_func=labels.get,
        key=remember_choice("your_data_task", list(TASK_CHOICES), "auto"),
        help=tr("your_data.task.help") + " " + restart_help(),
    )
    st.caption(tr(f"your_data.reason.{guess.reason}", distinct=guess.distinct, task=detected))
    return None if task == "auto" else task


def split_choice_ui(rows: int) -> tuple[str, int | None]:
    """Recommended (shuffled 80/20) or the slides' "first N rows train", with N."""
    tr = translator()
    split = st.radio(
        tr("your_data.split.label") + RESTART,
        SPLITS,
        format_func=tr.choice("your_data.split.options"),
        key=remember_choice("your_data_split", list(SPLITS), "recommended"),
        help=tr("your_data.split.help"),
    )
    if split != "course" or rows < 3:
        return split, None
    n_train = st.slider(
        tr("your_data.split.n_train") + RESTART,
        1,
        rows - 1,
        key=remember_choice(
            "your_data_n_train", list(range(1, rows)), min(default_n_train(rows), rows - 1)
        ),
        help=tr("your_data.split.n_train_help", rows=rows),
    )
    return split, int(n_train)


def choice_ui(table: YourTable) -> TableChoice:
    """Target, features, task and split in the sidebar; returns the choice."""
    report = table.report
    names = [c.name for c in report.columns]
    target = st.selectbox(
        t("your_data.target.label") + RESTART,
        names,
        key=remember_choice("your_data_target", names, default_target(report)),
        on_change=_on_target_change,
        args=(table,),
        help=t("your_data.target.help") + " " + restart_help(),
    )
    options = [n for n in names if n != target]
    features = st.multiselect(
        t("your_data.features.label") + RESTART,
        options,
        key=remember_choice("your_data_features", options, default_features(report, target)),
        help=t("your_data.features.help") + " " + restart_help(),
    )
    task = task_ui(table, target)
    split, n_train = split_choice_ui(report.rows)
    drop = False
    if any(c.missing for c in report.columns):
        drop = st.toggle(
            t("your_data.drop_missing.label") + RESTART,
            key=remember_choice("your_data_drop_missing", [True, False], False),
            help=t("your_data.drop_missing.help"),
        )
    ordered = tuple(f for f in options if f in features)  # file order: click order is no new run
    return TableChoice(target, ordered, task, split, n_train, bool(drop))


def table_dataset_ui(table: YourTable, choice: TableChoice) -> Dataset:
    """The Dataset of this choice (made once per choice); a problem is shown and the page stops."""
    key = (table.digest, choice)
    if key not in table.built:
        try:
            built = table_dataset(
                table.frame,
                choice.target,
                choice.features,
                task=choice.task,
                split=choice.split,
                n_train=choice.n_train,
                drop_missing=choice.drop_missing,
            )
        except CodedError as exc:
            built = exc
        table.built.clear()
        table.built[key] = built
    built = table.built[key]
    if isinstance(built, CodedError):
        st.error(error_text(built))
        if built.code in MISSING_CODES:
            st.info(t("your_data.drop_missing.hint"))
        if built.code == "csv_no_features":
            _almost_numbers_hint(table.report)
        st.stop()
    return built


def _almost_numbers_hint(report) -> None:
    """Name the cell that keeps a column of numbers from being a feature (an "inf", a typo)."""
    for c in report.columns:
        if c.not_number == 1 and report.rows - c.missing > 2:  # one stray cell, not a text column
            row, value = c.first_not_number
            st.info(t("your_data.features.almost_numbers", column=c.name, row=row, value=value))


def scaled_model_config(model_config: ModelConfig, dataset: Dataset) -> ModelConfig:
    """`model_config` with the target's training mean and std for a regression (else as it is).

    A student's target is often a price around 300,000: a network that starts near 0 and
    learns it in those units ends far worse than predicting the mean. With these two
    numbers it learns the standardized target and still predicts in the target's units.
    """
    mean, std = target_scale(dataset)
    return replace(model_config, target_mean=mean, target_std=std)


def target_scale_caption(model_config: ModelConfig) -> None:
    """Say, for a regression, that the target is learned standardized and scored in its units."""
    if (model_config.target_mean, model_config.target_std) != (0.0, 1.0):
        mean, std = model_config.target_mean, model_config.target_std
        st.caption(t("your_data.target_scale.note", mean=mean, std=std))
