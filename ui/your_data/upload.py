"""The "Your data" lab's table: upload a CSV (or take the example), kept in this session's state.

The parsed table lives in st.session_state (one YourTable per browser session),
so reruns, page switches and a later bad upload never lose it: a file that
cannot be read is reported and the last good table stays.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from data.csv_io import MB
from data.csv_table import TABLE_MAX_BYTES, TableReport, read_table
from data.csv_table_dataset import default_n_train
from data.csv_table_example import EXAMPLE_CSV
from data.errors import CodedError
from ui.language import error_text, t
from ui.uploader import file_uploader

UPLOAD_KEY = "your_data_table"
TABLE_MAX_MB = TABLE_MAX_BYTES // MB


@dataclass
class YourTable:
    """This session's table: the last file read well, and the last file's error if it was not."""

    name: str | None = None
    digest: str | None = None
    """A hash of the file's bytes: part of the run's signature, so a new file needs a new run."""
    frame: pd.DataFrame | None = None
    report: TableReport | None = None
    error: CodedError | None = None
    file_id: str | None = None
    """The upload last read, so a rerun does not read it again."""
    built: dict[tuple, Any] = field(default_factory=dict)
    """The Dataset (or the error) of the last choice of target, features and split."""


def your_table() -> YourTable:
    """This session's YourTable, created empty on first use."""
    if "your_data::table" not in st.session_state:
        st.session_state["your_data::table"] = YourTable()
    return st.session_state["your_data::table"]


def set_choice(key: str, value: Any) -> None:
    """Set the data control `your_data_<key>` (and its remembered copy) before it is drawn."""
    full = f"your_data_{key}"
    st.session_state[full] = value
    st.session_state["remember::" + full] = value


def default_target(report: TableReport) -> str:
    """The last column: where tables usually keep what they record the rest for."""
    return report.columns[-1].name


def default_features(report: TableReport, target: str) -> list[str]:
    """Every numeric column except the target."""
    return [c for c in report.numeric_columns if c != target]


def reset_choices(report: TableReport) -> None:
    """A new table: target = its last column, features = its other numeric columns, auto task."""
    target = default_target(report)
    set_choice("target", target)
    set_choice("features", default_features(report, target))
    set_choice("task", "auto")
    set_choice("split", "recommended")
    set_choice("n_train", default_n_train(report.rows))
    set_choice("drop_missing", False)


def adopt(table: YourTable, name: str, raw: bytes) -> None:
    """Read `raw` as the session's table; on an error keep the last good one and remember why."""
    file = io.BytesIO(raw)
    file.name = name  # read_table names the file in its messages
    try:
        frame, report = read_table(file)
    except CodedError as exc:
        table.error = exc
        return
    table.name, table.frame, table.report, table.error = name, frame, report, None
    table.digest = hashlib.sha256(raw).hexdigest()[:16]
    table.built.clear()
    reset_choices(report)


def _use_example() -> None:
    adopt(your_table(), EXAMPLE_CSV.name, EXAMPLE_CSV.read_bytes())


def table_upload_ui() -> YourTable:
    """The uploader and the example; returns this session's table (its frame is None until one is read)."""
    table = your_table()
    c1, c2 = st.columns([3, 2])
    with c1:
        upload = file_uploader(
            t("your_data.upload.label"),
            types=["csv", "txt", "tsv"],
            key=UPLOAD_KEY,
            help=t("your_data.upload.help", limit=TABLE_MAX_MB),
            # the browser refuses a bigger file before sending it; read_table checks the size again
            max_mb=TABLE_MAX_MB,
        )
    if upload is not None and upload.file_id != table.file_id:
        table.file_id = upload.file_id
        if upload.size > TABLE_MAX_BYTES:
            table.error = CodedError(
                "file_too_large_size",
                f"{upload.name} is {upload.size / MB:.3g} MB, larger than the "
                f"{TABLE_MAX_MB} MB limit.",
                name=upload.name,
                size_mb=upload.size / MB,
                limit_mb=TABLE_MAX_MB,
            )
        else:
            with st.spinner(t("your_data.upload.reading", name=upload.name)):
                adopt(table, upload.name, upload.getvalue())
    c2.markdown(t("your_data.example.text"))
    b1, b2 = c2.columns(2)
    b1.button(t("your_data.example.use"), key="your_data_use_example", on_click=_use_example)
    b2.download_button(
        t("your_data.example.download"),
        EXAMPLE_CSV.read_bytes(),
        file_name=EXAMPLE_CSV.name,
        mime="text/csv",
        key="your_data_download_example",
    )
    if table.error is not None:
        st.error(t("your_data.upload.failed", reason=error_text(table.error)))
        if table.frame is not None:
            st.caption(t("your_data.upload.kept", name=table.name))
    return table
