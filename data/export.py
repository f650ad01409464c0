"""A dataset as the CSV files a standalone script reads (`python -m data export NAME DIR`).

Images (MNIST) use the slides' format: `mnist_train.csv` and `mnist_valid.csv`,
one image per row, the label then 784 pixels 0-255, no header. Tables use
`train.csv` and `valid.csv` with a header row: the feature columns, then the
target column (`TARGET_COLUMNS`), classes written by name.

Sequences (the RNN lab's tasks, shape (steps, features per step)) are tables too:
one sequence per row, the columns `x_1 ... x_T` (or `value_1, marker_1, ...`, step
by step), then the target column.

Tables hold the RAW feature values (the exported script standardizes them with
the training split's constants written into it), so a built-in table's rows are
looked up in the original file: un-standardizing float32 values would only
approximate them, and the script would then not train on the app's numbers.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from .dataset import Dataset
from .errors import CodedError
from .splits import apply_standardizer

TARGET_COLUMNS = {"xor": "y", "iris": "species", "boston": "MEDV"}
DEFAULT_TARGET = "target"
IMAGE_FILES = ("mnist_train.csv", "mnist_valid.csv")
TABLE_FILES = ("train.csv", "valid.csv")
# A sequence step holds at most this many features (data.sequences: 1 or 2); an image
# row is 28 pixels wide, so the two 2-D kinds of data never look alike.
MAX_STEP_FEATURES = 4
_ROWS_PER_CHUNK = 2000
# Every pixel value as text once, so 55 million cells are looked up, not formatted.
_PIXEL_TEXT = np.array([str(i) for i in range(256)], dtype=object)


def is_sequence(input_shape: tuple[int, ...]) -> bool:
    """True for sequences (steps, features per step): few features per step, unlike an image."""
    shape = tuple(input_shape)
    return len(shape) == 2 and shape[1] <= MAX_STEP_FEATURES


def is_image(input_shape: tuple[int, ...]) -> bool:
    """True for image data (height, width): written in the slides' MNIST CSV format."""
    return len(tuple(input_shape)) == 2 and not is_sequence(input_shape)


def sequence_columns(feature_names: list[str] | tuple[str, ...], steps: int) -> list[str]:
    """The header of a sequence table's inputs: each step's features in turn, `x_1, x_2, ...`."""
    return [f"{name}_{t}" for t in range(1, steps + 1) for name in feature_names]


def file_names(input_shape: tuple[int, ...]) -> tuple[str, str]:
    """(training file, validation file) for data of this input shape."""
    return IMAGE_FILES if is_image(input_shape) else TABLE_FILES


def target_column(name: str, options: dict[str, Any] | None = None) -> str:
    """The header of the target column: a table's own (`options["target"]`), else by name.

    Built-in tables: "MEDV", "species", "y"; anything else "target".
    """
    given = (options or {}).get("target")
    return str(given) if given else TARGET_COLUMNS.get(name, DEFAULT_TARGET)


def _raw_table(name: str) -> tuple[np.ndarray, np.ndarray, list[str]] | None:
    """The original (X, y, feature names) of a built-in table, None for other data."""
    from .tabular import boston_raw, iris_raw

    if name == "iris":
        X, y, names, _ = iris_raw()
        return X, y, names
    if name == "boston":
        return boston_raw()
    return None


def _lookup_raw(dataset: Dataset, X: np.ndarray, y: np.ndarray) -> np.ndarray | None:
    """The original rows behind standardized rows (X, y), or None if some are not found.

    Every original row is standardized with the dataset's own constants, exactly as
    data.splits does it, and matched byte for byte together with its target.
    """
    raw = _raw_table(dataset.name)
    if raw is None or dataset.feature_mean is None:
        return None
    X_all, y_all, names = raw
    if not set(dataset.feature_names) <= set(names):
        return None
    X_all = X_all[:, [names.index(f) for f in dataset.feature_names]]
    y_all = y_all.astype(y.dtype)
    table = apply_standardizer(X_all, dataset.feature_mean, dataset.feature_std)
    index = {table[i].tobytes() + y_all[i : i + 1].tobytes(): i for i in range(len(table))}
    rows = [index.get(X[i].tobytes() + y[i : i + 1].tobytes()) for i in range(len(X))]
    if any(r is None for r in rows):
        return None
    return X_all[rows]


def raw_features(dataset: Dataset, part: str) -> np.ndarray:
    """The `part` ("train" or "valid") feature rows as they were before standardization.

    Exact for XOR (never standardized) and the built-in Iris and Boston rows; for
    other standardized tables, un-standardized and rounded to 7 significant digits.
    """
    X = getattr(dataset, f"X_{part}")
    y = getattr(dataset, f"y_{part}")
    if dataset.feature_mean is None or dataset.feature_std is None:
        return np.asarray(X)
    found = _lookup_raw(dataset, np.asarray(X), np.asarray(y))
    if found is not None:
        return found
    approx = np.asarray(X, dtype=np.float64) * dataset.feature_std + dataset.feature_mean
    return np.vectorize(lambda v: float(f"{v:.7g}"))(approx) if approx.size else approx


def _number(value: Any) -> str:
    """Shortest text that reads back as the same number (float32 values as float32)."""
    if isinstance(value, np.float32):
        return str(value)
    return repr(float(value))


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


def _table_csv(dataset: Dataset, part: str) -> bytes:
    X = raw_features(dataset, part)
    y = np.asarray(getattr(dataset, f"y_{part}"))
    names = list(dataset.feature_names)
    if is_sequence(dataset.input_shape):  # one sequence per row, step after step
        names = sequence_columns(names, dataset.input_shape[0])
        X = X.reshape(len(X), -1)
    header = [*names, target_column(dataset.name, getattr(dataset, "options", None))]
    lines = [",".join(_quote(h) for h in header)]
    classes = dataset.class_names
    for row, target in zip(X, y, strict=True):
        label = classes[int(target)] if classes else _number(target)
        lines.append(",".join([*(_number(v) for v in row), _quote(str(label))]))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _image_csv(dataset: Dataset, part: str) -> bytes:
    X = np.asarray(getattr(dataset, f"X_{part}")).reshape(len(getattr(dataset, f"y_{part}")), -1)
    y = np.asarray(getattr(dataset, f"y_{part}"))
    out = io.StringIO()
    for start in range(0, len(X), _ROWS_PER_CHUNK):
        end = start + _ROWS_PER_CHUNK
        cells = _PIXEL_TEXT[np.column_stack([y[start:end], X[start:end]])]
        out.write("\n".join(",".join(row) for row in cells.tolist()))
        out.write("\n")
    return out.getvalue().encode("ascii")


def csv_files(dataset: Dataset) -> dict[str, bytes]:
    """{file name: CSV bytes} for the dataset's training and validation rows."""
    write = _image_csv if is_image(dataset.input_shape) else _table_csv
    train_name, valid_name = file_names(dataset.input_shape)
    return {train_name: write(dataset, "train"), valid_name: write(dataset, "valid")}


def folder_problem(out_dir: str | Path) -> CodedError | None:
    """Why `out_dir` cannot take the CSV files (a file, or its parent folder missing); else None.

    Only the folder itself is made, never its parents: a mistyped path then gets a
    sentence, as `--save` and `--out` do (models/export_paths.py), not a new folder tree.
    """
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        return CodedError(
            "export_folder_is_file",
            f"{out_dir} is a file, not a folder; choose a folder to write the CSV files into.",
            path=str(out_dir),
        )
    parent = folder.parent
    if not folder.exists() and not parent.is_dir():
        return CodedError(
            "export_folder_parent_missing",
            f"The folder {parent} does not exist, so {out_dir} cannot be made in it; "
            "create it first or choose another folder.",
            path=str(out_dir),
            parent=str(parent),
        )
    return None


def write_csv_files(dataset: Dataset, out_dir: str | Path) -> list[Path]:
    """Write csv_files(dataset) into `out_dir` (made if missing); return the paths.

    Raises CodedError (folder_problem) when `out_dir` is a file or its parent folder is missing.
    """
    problem = folder_problem(out_dir)
    if problem is not None:
        raise problem
    folder = Path(out_dir)
    folder.mkdir(exist_ok=True)
    paths = []
    for name, content in csv_files(dataset).items():
        path = folder / name
        path.write_bytes(content)
        paths.append(path)
    return paths


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """The files as one zip archive in memory (a single download button)."""
    buf = io.BytesIO()
    # Level 1: all of MNIST's 128 MB of CSV zips in 2 s to 20 MB; level 6 took 12 s for 15 MB.
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, content in files.items():
            z.writestr(name, content)
    return buf.getvalue()
