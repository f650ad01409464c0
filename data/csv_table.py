"""Your own table of data: read any CSV with a header row, describe its columns, make a Dataset.

`read_table(file)` parses and describes the file without choosing anything;
data.csv_table_dataset's `detect_task` and `table_dataset` take it from there.
Every problem is a DataFormatError (a CodedError) that names the row and column.

Decisions, each for a student's real-world file:
- encoding: UTF-8 (with or without BOM), else CP950/Big5 (what Excel writes on
  Traditional Chinese Windows), else Latin-1; UTF-16 and binary files are refused;
- delimiter: comma, semicolon or tab, whichever splits the first rows into the
  most columns consistently; with semicolons or tabs, "1,5" is read as 1.5
  (Excel in many European locales writes that);
- missing cells (empty, NA, NaN, null, -): refused naming the first one's row
  and column, unless the caller asks to drop those rows (then a note counts them).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .csv_io import display_name, read_limited, short_text
from .csv_mnist import _check_text as check_not_csv
from .csv_tabular import _MISSING, TABULAR_CSV_MAX_BYTES, _read_rows
from .errors import DataFormatError

TABLE_MAX_BYTES = TABULAR_CSV_MAX_BYTES  # 20 MB: a 100,000-row table, far beyond a lesson's
MIN_ROWS = 20  # fewer rows leave 4 or fewer to validate on: no score means anything
DELIMITERS = (",", ";", "\t")
_SNIFF_LINES = 20
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")


@dataclass(frozen=True)
class ColumnInfo:
    """What one column holds, for the preview and the default choices."""

    name: str
    kind: str
    """"number" (decimals), "whole" (whole numbers only) or "text"."""
    missing: int
    """Cells that are empty or say NA, NaN, null, none or -."""
    distinct: int
    """Different values among the filled cells."""
    not_number: int = 0
    """Filled cells that are not numbers (0 for number and whole columns)."""
    first_not_number: tuple[int, str] | None = None
    """(row, value) of the first of them, to show where a mostly numeric column breaks."""

    @property
    def numeric(self) -> bool:
        """Whether the column can be a feature (every filled cell is a number)."""
        return self.kind != "text"


@dataclass(frozen=True)
class TableReport:
    """How the file was read and what each column holds."""

    name: str
    rows: int
    encoding: str
    delimiter: str
    decimal_comma: bool
    columns: tuple[ColumnInfo, ...]

    def column(self, name: str) -> ColumnInfo:
        """The ColumnInfo of column `name`."""
        return next(c for c in self.columns if c.name == name)

    @property
    def numeric_columns(self) -> list[str]:
        """The columns whose filled cells are all numbers, in file order."""
        return [c.name for c in self.columns if c.numeric]


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (BOM or not), else CP950 (Taiwan's Excel), else Latin-1."""
    for encoding in ("utf-8-sig", "cp950"):
        try:
            return raw.decode(encoding), encoding.replace("-sig", "")
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first rows into the most columns, the same number each row.

    A tie (or no consistent split) keeps the comma, so a one-column file is
    reported as such rather than split on a stray semicolon.
    """
    lines = [line for line in text.splitlines()[: _SNIFF_LINES * 2] if line.strip()]
    lines = lines[:_SNIFF_LINES]
    best, best_width = ",", 1
    for delimiter in DELIMITERS:
        try:
            widths = {len(r) for r in csv.reader(lines, delimiter=delimiter)}
        except csv.Error:
            continue
        if len(widths) == 1 and (width := widths.pop()) > best_width:
            best, best_width = delimiter, width
    return best


def _numbers(text: pd.Series, decimal_comma: bool) -> np.ndarray:
    """The cells as float64, NaN where a cell is not a finite number."""
    if decimal_comma:
        text = text.str.replace(",", ".", regex=False)
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64, copy=True)
    values[~np.isfinite(values)] = np.nan
    return values


def _missing(text: pd.Series) -> np.ndarray:
    return text.str.lower().isin(_MISSING).to_numpy()


def _describe(frame: pd.DataFrame, decimal_comma: bool) -> tuple[ColumnInfo, ...]:
    infos = []
    for col in frame.columns:
        text = frame[col]
        missing = _missing(text)
        filled = text[~missing]
        values = _numbers(filled, decimal_comma)
        bad = np.isnan(values)
        if bad.any():
            i = int(np.argmax(bad))
            first = (int(filled.index[i]), short_text(filled.iloc[i]))
            kind, distinct = "text", int(filled.nunique())
        else:
            first = None
            kind = "whole" if np.all(values == np.round(values)) else "number"
            distinct = len(np.unique(values))
        infos.append(
            ColumnInfo(str(col), kind, int(missing.sum()), distinct, int(bad.sum()), first)
        )
    return tuple(infos)


def read_table(file: Any, max_bytes: int = TABLE_MAX_BYTES) -> tuple[pd.DataFrame, TableReport]:
    """Read a CSV with a header row: (cells as stripped text, indexed by file row; a report).

    `file` is a path, bytes or a binary file object (an upload). The frame's
    index is each row's 1-based line number, so later errors can name it;
    `frame.attrs` holds the file's name and whether commas are decimal marks.
    """
    name = display_name(file)
    raw = read_limited(file, max_bytes)
    check_not_csv(raw, name)
    text, encoding = decode(raw)
    if not text.strip():
        raise DataFormatError("csv_empty", f"{name} is empty.", name=name)
    delimiter = sniff_delimiter(text)
    header, rows, row_numbers = _read_rows(text, name, delimiter)
    if len(header) < 2:
        raise DataFormatError(
            "table_one_column",
            f"{name} has a single column ({short_text(header[0])!r}): a table needs a target "
            "and at least one feature, separated by commas, semicolons or tabs.",
            name=name,
            column_name=short_text(header[0]),
        )
    frame = pd.DataFrame(rows, columns=header, dtype=object).astype(str)
    frame = frame.apply(lambda c: c.str.strip())
    frame.index = pd.Index(row_numbers, name="row")
    decimal_comma = delimiter != "," and bool(
        frame.apply(lambda c: c.str.fullmatch(_DECIMAL_COMMA.pattern)).to_numpy().any()
    )
    frame.attrs = {"name": name, "decimal_comma": decimal_comma}
    report = TableReport(
        name=name,
        rows=len(frame),
        encoding=encoding,
        delimiter=delimiter,
        decimal_comma=decimal_comma,
        columns=_describe(frame, decimal_comma),
    )
    return frame, report
