"""MNIST in the slides' CSV format: label, then 784 pixels 0-255, one image per row."""

from __future__ import annotations

import csv
import io
import warnings
from typing import Any

import numpy as np
import pandas as pd

from .csv_io import (
    MB,
    column_letter,
    delimiter_hint,
    display_name,
    read_limited,
    separator,
    short_text,
    show_value,
)
from .dataset import Dataset
from .errors import DataFormatError
from .mnist import CLASS_NAMES, pixel_names
from .splits import stratified_split

MNIST_CSV_MAX_BYTES = 200 * MB  # the full 60k-row training file is ~105 MB
N_COLUMNS = 785
_CHUNK_ROWS = 2000
# What a file that is not CSV text usually is, by its first bytes. Browsers only
# check the ".csv" ending, so a renamed image, archive or workbook gets this far.
_NOT_CSV = [
    (b"\x89PNG", "a PNG image", "not_csv_png"),
    (b"\xff\xd8\xff", "a JPEG image", "not_csv_jpeg"),
    (b"GIF8", "a GIF image", "not_csv_gif"),
    (b"%PDF", "a PDF document", "not_csv_pdf"),
    (b"PK\x03\x04", "a zip archive (an Excel .xlsx workbook is one too)", "not_csv_zip"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook", "not_csv_xls"),
    (b"\x1f\x8b", "gzip-compressed (unpack it first)", "not_csv_gzip"),
]


def _is_number(text: bytes) -> bool:
    try:
        float(text.strip().strip(b'"'))
    except ValueError:
        return False
    return True


def _column(j: int) -> str:
    where = "the label" if j == 0 else f"pixel {j} of 784"
    return f"column {j + 1} ({column_letter(j)}, {where})"


def _cell_error(
    problem: str, text: str, name: str, row: int, j: int, **value: Any
) -> DataFormatError:
    """The error for cell (row, column j): code mnist_csv_{label|pixel}_{problem}."""
    message = f"{name}, row {row}, {_column(j)}: {text}."
    where: dict[str, Any] = {"name": name, "row": int(row)}
    if j == 0:
        return DataFormatError(f"mnist_csv_label_{problem}", message, **where, **value)
    cell = {"column": j + 1, "letter": column_letter(j), "pixel": j}
    return DataFormatError(f"mnist_csv_pixel_{problem}", message, **where, **cell, **value)


def _check_text(raw: bytes, name: str) -> None:
    """Raise a plain-words DataFormatError when the bytes are not CSV text at all.

    Without this, a PNG or a zip renamed to .csv is reported as "row 1 has 1
    value", which sends a student looking for a missing comma.
    """
    for magic, what, code in _NOT_CSV:
        if raw.startswith(magic):
            raise DataFormatError(
                code,
                f"{name} is not a CSV text file: it is {what}. "
                "Upload the CSV file itself (plain text, values separated by commas).",
                name=name,
            )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataFormatError(
            "csv_utf16",
            f'{name} is saved as UTF-16 ("Unicode text"). Save it again as '
            '"CSV (comma delimited)" or as UTF-8 text.',
            name=name,
        )
    if b"\x00" in raw[:4096]:
        raise DataFormatError(
            "csv_binary",
            f"{name} contains binary data, not text: it is not a CSV file. "
            "Upload the CSV file itself (plain text, values separated by commas).",
            name=name,
        )


def _scan_lines(raw: bytes, name: str) -> tuple[np.ndarray, int | None]:
    """Check every row has 785 values; return data-row line numbers and the header line.

    Done on the raw bytes (fast: one count per line) so the message can name
    the exact row, which pandas cannot do for rows that are too short.
    """
    lines = raw.splitlines()
    content = [i for i, line in enumerate(lines) if line]
    if not content or not raw.strip():
        raise DataFormatError("csv_empty", f"{name} is empty.", name=name)
    first = content[0]
    # A header row is mostly text ("label,1x1,1x2,..."); a data row with one
    # typo in its first cell is not, and must be reported, not skipped.
    cells = lines[first].split(b",")
    text_cells = sum(not _is_number(c) for c in cells)
    header = first if text_cells > len(cells) / 2 else None
    first_line = lines[first][:200].decode("latin-1")
    counts = np.fromiter(
        (lines[i].count(b",") + 1 for i in content), dtype=np.int64, count=len(content)
    )
    bad = np.flatnonzero(counts != N_COLUMNS)
    if len(bad):
        i = content[bad[0]]
        row = i + 1
        if not lines[i].strip():
            raise DataFormatError(
                "csv_row_blank",
                f"{name}, row {row} contains only spaces; delete that row.",
                name=name,
                row=row,
            )
        found = int(counts[bad[0]])
        msg = (
            f"{name}, row {row} has {found} value{'' if found == 1 else 's'} but each row needs {N_COLUMNS}: "
            f"the label (0-9) followed by 784 pixel values."
        )
        sep = separator(first_line)
        if sep is not None:  # found is 1 then: the first line has no comma
            code = f"mnist_csv_{sep}"
            raise DataFormatError(code, msg + delimiter_hint(first_line), name=name, row=row)
        if len(bad) == len(content) and found == 784:
            msg += " Every row has 784: the label column seems to be missing."
            raise DataFormatError("mnist_csv_no_label", msg, name=name, row=row)
        if found == 1:
            raise DataFormatError("mnist_csv_row_one_value", msg, name=name, row=row)
        raise DataFormatError("mnist_csv_row_width", msg, name=name, row=row, found=found)
    rows = np.array([i + 1 for i in content if i != header], dtype=np.int64)
    if not len(rows):
        raise DataFormatError(
            "mnist_csv_no_images", f"{name} has only a header row and no images.", name=name
        )
    return rows, header


def _check_values(values: np.ndarray, row_numbers: np.ndarray, name: str) -> None:
    """Raise for the first cell that is not a whole number in range (0-9 label, 0-255 pixel)."""
    labels, pixels = values[:, 0], values[:, 1:]
    checks = [
        (np.isnan(values), lambda v: "the cell is empty"),
        (values != np.floor(values), None),
        ((labels < 0) | (labels > 9), lambda v: f"label {v:g} is not a digit from 0 to 9"),
        ((pixels < 0) | (pixels > 255), lambda v: f"pixel value {v:g} is outside 0-255"),
    ]
    for k, (mask, describe) in enumerate(checks):
        if mask.ndim == 1:
            mask = mask[:, None]
        offset = 1 if k == 3 else 0
        if not mask.any():
            continue
        i, j = np.argwhere(mask)[0]
        j += offset
        v = float(values[i, j])
        where = (name, row_numbers[i], j)
        if k == 0:
            raise _cell_error("empty", describe(v), *where)
        if describe is not None:  # out of range
            raise _cell_error("range", describe(v), *where, value=v)
        if j == 0:
            text = f"label {v:g} is not a whole number from 0 to 9"
            raise _cell_error("not_whole", text, *where, value=v)
        text = f"pixel value {v:g} is not a whole number from 0 to 255"
        if np.nanmax(pixels) <= 1:
            text += " (pixels scaled to 0-1 must be multiplied by 255 first)"
            raise _cell_error("scaled", text, *where, value=v)
        raise _cell_error("not_whole", text, *where, value=v)


def _check_chunk(chunk: pd.DataFrame, rows: np.ndarray, name: str) -> None:
    """Raise for the first non-numeric, empty or out-of-range cell in a chunk of rows."""
    for j, col in enumerate(chunk.columns):
        if pd.api.types.is_numeric_dtype(chunk[col]):
            continue
        raw_text = chunk[col].astype(str).str.strip()
        open_quote = (raw_text.str.count('"') % 2 == 1).to_numpy()
        if open_quote.any():
            i = int(np.argmax(open_quote))
            cell = chunk[col].iloc[i]
            text = f'{show_value(cell)} has a quote mark (") that is never closed; delete it'
            raise _cell_error("open_quote", text, name, rows[i], j, value=short_text(cell))
        # "3" is a quoted 3, as the fast parser reads it; 3"" or "3 is not a number.
        text = raw_text.str.replace(r'^"(.*)"$', r"\1", regex=True).str.strip()
        numeric = pd.to_numeric(text, errors="coerce")
        bad = (numeric.isna() & chunk[col].notna() & (text != "")).to_numpy()
        if bad.any():
            i = int(np.argmax(bad))
            cell = chunk[col].iloc[i]
            text = f"{show_value(cell)} is not a number"
            raise _cell_error("not_number", text, name, rows[i], j, value=short_text(cell))
        chunk[col] = numeric
    _check_values(chunk.to_numpy(dtype=np.float64), rows, name)


def _find_problem(raw: bytes, skip: list[int], row_numbers: np.ndarray, name: str) -> None:
    """Slow path, only for files the fast parser rejected: find and report the first bad cell.

    Reads in chunks so a bad 100 MB file never becomes a 400 MB float table.
    Latin-1 decodes every byte and quotes are kept as characters, so a stray
    accented byte or an unclosed quote becomes a cell to report, instead of a
    UnicodeDecodeError or a tokenizer error from inside pandas; splitting at
    every comma also matches how _scan_lines counted the values.
    """
    reader = pd.read_csv(
        io.BytesIO(raw),
        header=None,
        skiprows=skip,
        engine="c",
        chunksize=_CHUNK_ROWS,
        keep_default_na=False,
        na_values=[""],
        encoding="latin-1",
        quoting=csv.QUOTE_NONE,
    )
    start = 0
    with warnings.catch_warnings():
        # Mixed-type columns are exactly what we are looking for here.
        warnings.simplefilter("ignore", pd.errors.DtypeWarning)
        for chunk in reader:
            _check_chunk(chunk, row_numbers[start : start + len(chunk)], name)
            start += len(chunk)


def parse_mnist_csv(
    file: Any, max_bytes: int = MNIST_CSV_MAX_BYTES
) -> tuple[np.ndarray, np.ndarray]:
    """Parse an MNIST CSV into X uint8 (N, 28, 28) and y int64 (N,).

    `file` is a path, bytes, or a binary file-like object (e.g. a Streamlit
    UploadedFile). An optional header row is skipped. Any problem raises
    DataFormatError naming the row (1-based, as a spreadsheet shows it) and column.
    """
    name = display_name(file)
    raw = read_limited(file, max_bytes)
    _check_text(raw, name)
    row_numbers, header = _scan_lines(raw, name)
    skip = [header] if header is not None else []
    try:
        # Fast path: int16 holds every valid value and rejects text/blank cells,
        # so one C-engine pass either succeeds or sends us to _find_problem.
        frame = pd.read_csv(io.BytesIO(raw), header=None, skiprows=skip, dtype=np.int16, engine="c")
        values = frame.to_numpy()
    except (ValueError, TypeError, OverflowError, pd.errors.ParserError) as exc:
        _find_problem(raw, skip, row_numbers, name)
        raise DataFormatError(
            "mnist_csv_unreadable",
            f"{name} could not be read as numbers ({exc}).",
            name=name,
            detail=str(exc),
        ) from None
    if values.shape != (len(row_numbers), N_COLUMNS):
        raise DataFormatError(
            "mnist_csv_shape",
            f"{name}: expected {len(row_numbers)} rows of {N_COLUMNS} values.",
            name=name,
            rows=len(row_numbers),
        )
    labels, pixels = values[:, 0], values[:, 1:]
    # Cheap whole-array range test first; locate the bad cell only if there is one.
    if labels.min() < 0 or labels.max() > 9 or pixels.min() < 0 or pixels.max() > 255:
        _check_values(values.astype(np.float32), row_numbers, name)
    X = values[:, 1:].astype(np.uint8).reshape(-1, 28, 28)
    y = values[:, 0].astype(np.int64)
    return X, y


# The option that marks a Dataset read from a student's file: no built-in rows to share or name.
SOURCE_OPTION = "source"
UPLOADED_SOURCE = "csv"


def is_upload(options) -> bool:
    """True when a Dataset's (or DataSpec's) options say its rows came from a student's file."""
    return SOURCE_OPTION in dict(options or {})


def load_mnist_csv(
    train_file: Any, valid_file: Any = None, max_bytes: int = MNIST_CSV_MAX_BYTES, seed: int = 0
) -> Dataset:
    """MNIST from the slides' CSV files (mnist_train.csv, optionally mnist_valid.csv).

    Same representation as data.load("mnist"). Without a validation file a
    stratified 1/6 of the rows (seeded) is held out for validation.
    """
    X, y = parse_mnist_csv(train_file, max_bytes=max_bytes)
    name = display_name(train_file)
    if valid_file is not None:
        X_valid, y_valid = parse_mnist_csv(valid_file, max_bytes=max_bytes)
        split = "course"
        notes = [
            f"Loaded {len(y)} training images from {name} and {len(y_valid)} "
            f"validation images from {display_name(valid_file)}."
        ]
    else:
        if len(y) < 2:
            raise DataFormatError(
                "mnist_csv_one_image",
                f"{name} has only 1 image; at least 2 are needed to hold one out.",
                name=name,
            )
        n_valid = max(1, round(len(y) / 6))
        train_idx, valid_idx = stratified_split(y, len(y) - n_valid, seed)
        X, y, X_valid, y_valid = X[train_idx], y[train_idx], X[valid_idx], y[valid_idx]
        split = "recommended"
        notes = [
            f"Loaded {len(y) + n_valid} images from {name}; held out {n_valid} "
            "(1/6, same digit proportions) for validation."
        ]
    return Dataset(
        name="mnist",
        task="multiclass",
        X_train=X,
        y_train=y,
        X_valid=X_valid,
        y_valid=y_valid,
        feature_names=pixel_names(),
        class_names=list(CLASS_NAMES),
        split=split,
        notes=notes,
        # Named "mnist" so the lab treats it as MNIST, but these are a student's own rows: the
        # source tells the code view and the take-home script not to use the built-in set's
        # shared zip or its `python -m data export mnist` command.
        options={SOURCE_OPTION: UPLOADED_SOURCE},
    )
