"""A generic tabular CSV (header row + chosen target column) as a Dataset."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .csv_io import (
    MB,
    column_letter,
    decode_text,
    delimiter_hint,
    display_name,
    read_limited,
    separator,
    short_text,
    show_value,
)
from .dataset import Dataset
from .errors import DataFormatError
from .splits import check_split, shuffle_split, stratified_split
from .tabular import build_tabular

TABULAR_CSV_MAX_BYTES = 20 * MB
MAX_CLASSES = 20  # more distinct whole-number targets than this -> regression
TASKS = ("regression", "binary", "multiclass")
_MISSING = {"", "na", "n/a", "nan", "null", "none", "-"}


def _read_rows(
    text: str, name: str, delimiter: str = ","
) -> tuple[list[str], list[list[str]], np.ndarray]:
    """Header, data rows (as strings) and their 1-based row numbers; checks widths."""
    # newline=None reads "\r" line ends too: Excel for Mac's "CSV (Macintosh)" writes only those.
    reader = csv.reader(io.StringIO(text, newline=None), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[list[str]] = []
    numbers: list[int] = []
    # The line each record starts on: a stray quote reads on, and the reader counts to its end.
    start = line = 1
    try:
        for record in reader:
            start, end = line, reader.line_num
            line = end + 1
            if not record:  # blank line
                continue
            if header is None:
                header = [h.strip() for h in record]
                header_line = start
                continue
            if len(record) != len(header):
                shown = f"{', '.join(header[:8])}{', …' if len(header) > 8 else ''}"
                raise DataFormatError(
                    "csv_row_width",
                    f"{name}, row {start} has {len(record)} values but the header row "
                    f"has {len(header)} columns ({shown}).",
                    name=name,
                    row=start,
                    found=len(record),
                    columns=len(header),
                    header=shown,
                )
            rows.append(record)
            numbers.append(start)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            limit = csv.field_size_limit()
            raise DataFormatError(
                "csv_cell_too_long",
                f"{name}, from row {line}: a cell is longer than {limit:,} characters; a quote "
                "mark that is never closed makes the rest of the file one cell.",
                name=name,
                row=line,
                limit=limit,
            ) from None
        raise DataFormatError(
            "csv_row_unreadable",
            f"{name}, row {line}: {exc}.",
            name=name,
            row=line,
            detail=str(exc),
        ) from None
    if header is None:
        raise DataFormatError("csv_empty", f"{name} is empty.", name=name)
    for j, h in enumerate(header):
        if not h:
            raise DataFormatError(
                "csv_header_blank",
                f"{name}, row {header_line}: column {j + 1} ({column_letter(j)}) has no name in the header row.",
                name=name,
                row=header_line,
                column=j + 1,
                letter=column_letter(j),
            )
        if h in header[:j]:
            raise DataFormatError(
                "csv_header_duplicate",
                f"{name}: the column name {h!r} appears twice in the header row.",
                name=name,
                column_name=h,
            )
    if not rows:
        raise DataFormatError(
            "csv_no_data_rows", f"{name} has only a header row and no data rows.", name=name
        )
    return header, rows, np.array(numbers, dtype=np.int64)


def _where(name: str, row: int, header: list[str], col: str) -> str:
    j = header.index(col)
    return f"{name}, row {row}, column {col!r} ({column_letter(j)})"


def _cell(name: str, row: int, header: list[str], col: str) -> dict[str, object]:
    """The params naming one cell: file, row, column name and letter."""
    return {
        "name": name,
        "row": int(row),
        "column_name": col,
        "letter": column_letter(header.index(col)),
    }


def _cells(
    frame: pd.DataFrame, col: str, rows: np.ndarray, header: list[str], name: str
) -> pd.Series:
    """The stripped text of one column; raises for the first empty cell."""
    text = frame[col].str.strip()
    empty = text.str.lower().isin(_MISSING).to_numpy()
    if empty.any():
        i = int(np.argmax(empty))
        where = _cell(name, rows[i], header, col)
        if not text.iloc[i]:
            raise DataFormatError(
                "csv_cell_empty",
                f"{_where(name, rows[i], header, col)} is empty; fill it in or remove the row.",
                **where,
            )
        raise DataFormatError(
            "csv_cell_missing",
            f"{_where(name, rows[i], header, col)} is empty ({show_value(text.iloc[i])}); "
            "fill it in or remove the row.",
            **where,
            value=short_text(text.iloc[i]),
        )
    return text


def _numeric(
    text: pd.Series, col: str, rows: np.ndarray, header: list[str], name: str
) -> np.ndarray:
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(values)
    if bad.any():
        i = int(np.argmax(bad))
        raise DataFormatError(
            "csv_cell_not_number",
            f"{_where(name, rows[i], header, col)}: {show_value(text.iloc[i])} is not a number. "
            "Feature columns must be numeric; leave text columns out of the features.",
            **_cell(name, rows[i], header, col),
            value=short_text(text.iloc[i]),
        )
    return values


def target_text_error(name: str, target: str, cell: object) -> DataFormatError:
    """csv_target_text: the target has the text `cell`, so it cannot be a regression."""
    return DataFormatError(
        "csv_target_text",
        f"{name}: target {target!r} has text ({show_value(cell)}), so it cannot be "
        "used for regression; choose binary or multiclass.",
        name=name,
        target=target,
        value=short_text(cell),
    )


def target_decimal_error(name: str, target: str) -> DataFormatError:
    """csv_target_decimal: the target has decimals, so it cannot be a classification."""
    return DataFormatError(
        "csv_target_decimal",
        f"{name}: target {target!r} has decimal values, so it cannot be used for classification.",
        name=name,
        target=target,
    )


def check_class_count(
    name: str, target: str, task: str, labels: list[str], first_label: str
) -> None:
    """Refuse a target with one class (shown as `first_label`), or a binary one without two."""
    if len(labels) < 2:
        raise DataFormatError(
            "csv_target_one_class",
            f"{name}: target {target!r} has only one class ({first_label}); need at least two.",
            name=name,
            target=target,
            label=first_label,
        )
    if task == "binary" and len(labels) != 2:
        raise DataFormatError(
            "csv_target_not_binary",
            f"{name}: binary classification needs exactly 2 classes, target {target!r} has "
            f"{len(labels)}.",
            name=name,
            target=target,
            classes=len(labels),
        )


def _encode_target(
    text: pd.Series, task: str | None, name: str, target: str
) -> tuple[str, np.ndarray, list[str] | None]:
    """Choose the task (if None) and turn the target column into y (+ class names)."""
    numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64)
    is_numeric = bool(np.isfinite(numbers).all())
    if is_numeric:
        whole = bool((numbers == np.round(numbers)).all())
        classes = np.unique(numbers)
        if task is None:
            if not whole or len(classes) > MAX_CLASSES:
                task = "regression"
            else:
                task = "binary" if len(classes) == 2 else "multiclass"
        if task == "regression":
            return task, numbers.astype(np.float32), None
        if not whole:
            raise target_decimal_error(name, target)
        labels = [str(int(c)) for c in classes]
        y = np.searchsorted(classes, numbers)
    else:
        if task == "regression":
            raise target_text_error(name, target, text.iloc[int(np.argmax(~np.isfinite(numbers)))])
        labels_arr, y = np.unique(text.to_numpy(dtype=str), return_inverse=True)
        labels = [str(v) for v in labels_arr]
        if task is None:
            task = "binary" if len(labels) == 2 else "multiclass"
    check_class_count(name, target, task, labels, labels[0])
    return task, y.astype(np.int64), labels


def check_columns(
    name: str, header: list[str], target: str, features: list[str], first_line: str = ""
) -> None:
    """Refuse a target or features the header does not have, a target among the features,
    a feature listed twice, or no feature at all (DataFormatError).

    `first_line` is the file's raw first line, when known: a target missing because the file
    is separated by semicolons or tabs gets its own code and a hint. Shared by the CLI's
    reader (load_tabular_csv) and the "Your data" table (data.csv_table_dataset).
    """
    if target not in header:
        sep = separator(first_line)
        raise DataFormatError(
            "csv_no_target" if sep is None else f"csv_no_target_{sep}",
            f"{name} has no column {target!r}. Available columns: {', '.join(header)}."
            + delimiter_hint(first_line),
            name=name,
            target=target,
            columns=", ".join(header),
        )
    unknown = [f for f in features if f not in header]
    if unknown:
        missing = ", ".join(map(repr, unknown))
        raise DataFormatError(
            "csv_no_feature_columns",
            f"{name} has no column(s) {missing}. Available columns: {', '.join(header)}.",
            name=name,
            missing=missing,
            columns=", ".join(header),
        )
    if target in features:
        raise DataFormatError(
            "csv_target_is_feature",
            f"The target {target!r} cannot also be a feature.",
            target=target,
        )
    if len(set(features)) != len(features):
        raise DataFormatError("csv_feature_twice", "The same feature is listed twice.")
    if not features:
        raise DataFormatError(
            "csv_no_features",
            f"{name} has no columns besides the target {target!r} to learn from.",
            name=name,
            target=target,
        )


def load_tabular_csv(
    file: Any,
    target: str,
    features: list[str] | None = None,
    task: str | None = None,
    split: str = "recommended",
    seed: int = 0,
    max_bytes: int = TABULAR_CSV_MAX_BYTES,
) -> Dataset:
    """A CSV with a header row as a Dataset: 80% train / 20% validation.

    target: the column to predict. features: columns to use (default: all others,
    all must be numeric). task: "regression", "binary", "multiclass" or None to
    infer (decimal values or more than 20 distinct numbers -> regression; else
    2 classes -> binary, more -> multiclass; text labels become class_names).
    split: "recommended" shuffles (stratified for classification, seeded);
    "course" keeps file order (first 80% train). Features are standardized on
    the training rows. Problems raise DataFormatError naming the row/column.
    """
    check_split(split)
    if task is not None and task not in TASKS:
        raise ValueError(f"Unknown task {task!r}; choose one of {', '.join(TASKS)} or None.")
    name = display_name(file)
    text = decode_text(read_limited(file, max_bytes))
    if not text.strip():
        raise DataFormatError("csv_empty", f"{name} is empty.", name=name)
    header, rows, row_numbers = _read_rows(text, name)
    first_line = text.split("\n", 1)[0]
    features = [h for h in header if h != target] if features is None else list(features)
    check_columns(name, header, target, features, first_line)
    if len(rows) < 2:
        raise DataFormatError(
            "csv_one_row",
            f"{name} has only 1 data row; at least 2 are needed (training + validation).",
            name=name,
        )

    frame = pd.DataFrame(rows, columns=header, dtype=object).astype(str)
    X = np.column_stack(
        [
            _numeric(_cells(frame, f, row_numbers, header, name), f, row_numbers, header, name)
            for f in features
        ]
    )
    task, y, class_names = _encode_target(
        _cells(frame, target, row_numbers, header, name), task, name, target
    )

    n = len(y)
    n_train = n - max(1, round(0.2 * n))
    notes = []
    if split == "course":
        train_idx, valid_idx = np.arange(n_train), np.arange(n_train, n)
        notes.append("File order: the first 80% of rows train, the rest validate.")
    elif task == "regression":
        train_idx, valid_idx = shuffle_split(n, n_train, seed)
    else:
        train_idx, valid_idx = stratified_split(y, n_train, seed)
    if class_names is not None:
        missing = [
            class_names[c] for c in range(len(class_names)) if c not in set(y[train_idx].tolist())
        ]
        if missing:
            notes.append(
                f"No training rows for class(es) {', '.join(missing)}: the model cannot learn them."
            )
    return build_tabular(
        name=Path(name).stem if name != "the file" else "csv",
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
