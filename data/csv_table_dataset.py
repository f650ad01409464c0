"""Your own table as a Dataset: detect the task, check the choice, encode, split, standardize.

`detect_task(column)` guesses regression / binary / multiclass and says why;
`table_dataset(frame, target, features, ...)` makes the Dataset a lab trains on
from a table data.csv_table.read_table returned. Every problem is a
DataFormatError (a CodedError) naming the row and column.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .csv_io import short_text, show_value
from .csv_table import MIN_ROWS, _missing, _numbers
from .csv_tabular import (
    MAX_CLASSES,
    TASKS,
    _cell,
    check_class_count,
    check_columns,
    target_decimal_error,
    target_text_error,
)
from .dataset import Dataset
from .errors import CodedError, DataFormatError
from .splits import check_split, shuffle_split, stratified_split
from .tabular import build_tabular

MAX_CLASS_LIMIT = 50  # a confusion matrix beyond this is unreadable, and it is rarely meant
# Training runs in float32: a larger feature becomes inf when it is converted.
FLOAT32_MAX = float(np.finfo(np.float32).max)
# A regression is trained on squared errors in float32: a target of 1e18 still squares to
# well below float32's 3.4e38, a much larger one turns the loss into inf.
TARGET_MAX = 1e18


@dataclass(frozen=True)
class TaskGuess:
    """The detected task, and why: `reason` is "decimals", "many_whole", "few_whole" or "text"."""

    task: str
    reason: str
    distinct: int


def detect_task(column: pd.Series, decimal_comma: bool = False) -> TaskGuess:
    """Guess the task from a target column's filled cells (text), and say why.

    Text -> classification with the texts as class names ("text"); numbers with
    decimals -> regression ("decimals"); whole numbers with more than
    MAX_CLASSES (20) different values -> regression ("many_whole"); else
    classification, binary for 2 values ("few_whole").
    """
    filled = column[~_missing(column.astype(str))].astype(str)
    values = _numbers(filled, decimal_comma)
    if np.isnan(values).any() or not len(values):
        distinct = int(filled.nunique())
        return TaskGuess("binary" if distinct == 2 else "multiclass", "text", distinct)
    distinct = len(np.unique(values))
    if not np.all(values == np.round(values)):
        return TaskGuess("regression", "decimals", distinct)
    if distinct > MAX_CLASSES:
        return TaskGuess("regression", "many_whole", distinct)
    return TaskGuess("binary" if distinct == 2 else "multiclass", "few_whole", distinct)


def _first_cell(mask: np.ndarray) -> tuple[int, int]:
    """(row, column) positions of the first True of a 2-D mask, in reading order."""
    i = int(np.argmax(mask.any(axis=1)))
    return i, int(np.argmax(mask[i]))


def _missing_cells(
    used: pd.DataFrame, name: str, header: list[str], drop: bool
) -> tuple[pd.DataFrame, list[CodedError]]:
    """Refuse the first missing cell (row, column), or drop the rows that have one, with a note."""
    mask = np.column_stack([_missing(used[c]) for c in used.columns])
    if not mask.any():
        return used, []
    i, j = _first_cell(mask)
    row, col, value = int(used.index[i]), str(used.columns[j]), used.iloc[i, j]
    if drop:
        rows = mask.any(axis=1)
        note = CodedError(
            "table_rows_dropped",
            f"{int(rows.sum())} rows with a missing value were left out (the first is row {row}).",
            count=int(rows.sum()),
            row=row,
        )
        return used[~rows], [note]
    where = _cell(name, row, header, col)
    if not value:
        raise DataFormatError(
            "csv_cell_empty",
            f"{name}, row {row}, column {col!r} ({where['letter']}) is empty; "
            "fill it in or remove the row.",
            **where,
        )
    raise DataFormatError(
        "csv_cell_missing",
        f"{name}, row {row}, column {col!r} ({where['letter']}) is empty ({show_value(value)}); "
        "fill it in or remove the row.",
        **where,
        value=short_text(value),
    )


def _features(
    used: pd.DataFrame, features: list[str], name: str, header: list[str], decimal_comma: bool
) -> np.ndarray:
    X = np.column_stack([_numbers(used[f], decimal_comma) for f in features])
    bad = np.isnan(X)
    if bad.any():
        i, j = _first_cell(bad)
        row, col, value = int(used.index[i]), features[j], used[features[j]].iloc[i]
        where = _cell(name, row, header, col)
        raise DataFormatError(
            "csv_cell_not_number",
            f"{name}, row {row}, column {col!r} ({where['letter']}): {show_value(value)} is not "
            "a number. Feature columns must be numeric; leave text columns out of the features.",
            **where,
            value=short_text(value),
        )
    _too_large(X, used[features], name, header, FLOAT32_MAX)
    return X


def _too_large(
    values: np.ndarray, cells: pd.DataFrame, name: str, header: list[str], limit: float
) -> None:
    """Refuse the first cell (reading order) whose absolute value is not below `limit`."""
    bad = ~(np.abs(values.reshape(len(cells), -1)) < limit)
    if not bad.any():
        return
    i, j = _first_cell(bad)
    row, col = int(cells.index[i]), str(cells.columns[j])
    where = _cell(name, row, header, col)
    value = short_text(cells[col].iloc[i])
    raise DataFormatError(
        "table_number_too_large",
        f"{name}, row {row}, column {col!r} ({where['letter']}): {value} is too large to train "
        f"on; numbers in this column must stay below {limit:.1e} in absolute value. Rescale "
        "the column (for example, in thousands) and upload it again.",
        **where,
        value=value,
        limit=limit,
    )


def _check_standardized(
    X: np.ndarray, idx: np.ndarray, used: pd.DataFrame, features: list[str], name: str, header
) -> None:
    """Refuse a standardized value that overflowed (a validation value far outside a tiny spread)."""
    bad = ~np.isfinite(X)
    if not bad.any():
        return
    i, j = _first_cell(bad)
    row, col = int(used.index[idx[i]]), features[j]
    where = _cell(name, row, header, col)
    value = short_text(used[col].iloc[idx[i]])
    raise DataFormatError(
        "table_value_off_scale",
        f"{name}, row {row}, column {col!r} ({where['letter']}): {value} lies so far outside the "
        "training rows' values, which barely vary, that it cannot be standardized. Check the "
        "value, or leave this column out of the features.",
        **where,
        value=value,
    )


def target_scale(dataset: Dataset) -> tuple[float, float]:
    """(mean, std) of a regression target over the training rows; (0.0, 1.0) for classification.

    For ModelConfig's target_mean and target_std: the network then learns the target in
    standard units and predicts it in its own. A constant target keeps std 1.
    """
    if dataset.task != "regression":
        return 0.0, 1.0
    y = np.asarray(dataset.y_train, dtype=np.float64)
    std = float(y.std())
    return float(y.mean()), std if np.isfinite(std) and std > 1e-12 else 1.0


def _target(
    text: pd.Series, task: str | None, name: str, target: str, decimal_comma: bool
) -> tuple[str, np.ndarray, list[str] | None]:
    """(task, y, class names): the chosen (or detected) task and the target encoded for it."""
    guess = detect_task(text, decimal_comma)
    task = task or guess.task
    values = _numbers(text, decimal_comma)
    if guess.reason == "text":
        if task == "regression":
            raise target_text_error(name, target, text.iloc[int(np.argmax(np.isnan(values)))])
        labels_arr, y = np.unique(text.to_numpy(dtype=str), return_inverse=True)
        labels = [str(v) for v in labels_arr]
    elif task == "regression":
        return task, values, None  # float64 until its size is checked; build_tabular casts
    elif guess.reason == "decimals":
        raise target_decimal_error(name, target)
    else:
        classes, y = np.unique(values, return_inverse=True)
        labels = [str(int(c)) for c in classes]
    check_class_count(name, target, task, labels, short_text(labels[0]))
    if len(labels) > MAX_CLASS_LIMIT:
        raise DataFormatError(
            "table_too_many_classes",
            f"{name}: target {target!r} has {len(labels)} different values, too many classes "
            f"(at most {MAX_CLASS_LIMIT}); for a number to predict, choose regression.",
            name=name,
            target=target,
            classes=len(labels),
            limit=MAX_CLASS_LIMIT,
        )
    return task, y.astype(np.int64), labels


def default_n_train(rows: int) -> int:
    """The recommended split's training rows: 80%, leaving at least one row to validate."""
    return rows - max(1, round(0.2 * rows))


def table_dataset(
    frame: pd.DataFrame,
    target: str,
    features: list[str] | tuple[str, ...],
    task: str | None = None,
    split: str = "recommended",
    n_train: int | None = None,
    seed: int = 0,
    drop_missing: bool = False,
) -> Dataset:
    """A Dataset from a table read by read_table: predict `target` from `features`.

    task: "regression", "binary", "multiclass" or None to detect (detect_task).
    split: "recommended" shuffles 80% / 20% (stratified for classification,
    seeded); "course" trains on the first `n_train` rows as the slides do
    (default 80%). drop_missing leaves out rows with a missing target or
    feature (a note counts them) instead of refusing the first one.
    """
    check_split(split)
    if task is not None and task not in TASKS:
        raise ValueError(f"Unknown task {task!r}; choose one of {', '.join(TASKS)} or None.")
    name = str(frame.attrs.get("name", "the file"))
    decimal_comma = bool(frame.attrs.get("decimal_comma", False))
    features = [str(f) for f in features]
    check_columns(name, [str(c) for c in frame.columns], target, features)
    header = [str(c) for c in frame.columns]
    used, notes = _missing_cells(frame[[*features, target]], name, header, drop_missing)
    X = _features(used, features, name, header, decimal_comma)
    n = len(used)
    if n < MIN_ROWS:
        raise DataFormatError(
            "table_too_few_rows",
            f"{name} has {n} usable rows; at least {MIN_ROWS} are needed to train and validate.",
            name=name,
            rows=n,
            minimum=MIN_ROWS,
        )
    task, y, class_names = _target(used[target], task, name, target, decimal_comma)
    if task == "regression":
        _too_large(y, used[[target]], name, header, TARGET_MAX)
    if split == "course":
        n_train = default_n_train(n) if n_train is None else int(n_train)
        if not 1 <= n_train <= n - 1:
            raise CodedError(
                "table_n_train_range",
                f"The first {n_train} rows cannot train: choose between 1 and {n - 1}.",
                n_train=n_train,
                low=1,
                high=n - 1,
            )
        train_idx, valid_idx = np.arange(n_train), np.arange(n_train, n)
    elif task == "regression":
        train_idx, valid_idx = shuffle_split(n, default_n_train(n), seed)
    else:
        train_idx, valid_idx = stratified_split(y, default_n_train(n), seed)
    if class_names is not None:
        seen = set(y[train_idx].tolist())
        unseen = [class_names[c] for c in range(len(class_names)) if c not in seen]
        if unseen:
            shown = ", ".join(short_text(c) for c in unseen[:5]) + (
                ", …" if len(unseen) > 5 else ""
            )
            notes.append(
                CodedError(
                    "table_class_not_in_training",
                    f"No training rows for {len(unseen)} class(es), {shown}: the model cannot learn them.",
                    classes=shown,
                    count=len(unseen),
                )
            )
    with np.errstate(over="ignore"):  # an overflow is refused just below, naming its cell
        dataset = build_tabular(
            name="your_data",
            task=task,
            X=X,
            y=y,
            feature_names=features,
            class_names=class_names,
            train_idx=train_idx,
            valid_idx=valid_idx,
            split=split,
            notes=notes,
        )
    for X_part, idx in ((dataset.X_train, train_idx), (dataset.X_valid, valid_idx)):
        _check_standardized(X_part, idx, used, features, name, header)
    # What made it, for the views (the target's name) and a run's description; "features"
    # under its flag's name, so the comparison table shows a change of features.
    dataset.options = {
        "file": name,
        "target": target,
        "task": task,
        "rows": n,
        "features": tuple(features),
    }
    if split == "course":
        dataset.options["n_train"] = len(train_idx)
    return dataset
