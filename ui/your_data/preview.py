"""A look at the uploaded table before choosing anything: its first rows and what each column holds."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.csv_table import TableReport
from ui.language import t
from ui.your_data.upload import YourTable

PREVIEW_ROWS = 10
DELIMITER_KEYS = {",": "comma", ";": "semicolon", "\t": "tab"}


def column_table(report: TableReport) -> pd.DataFrame:
    """One row per column: its name, kind, missing cells, different values, a stray text cell."""
    rows = []
    for c in report.columns:
        where = ""
        # Only where numbers are the majority: there the text is most likely a typo.
        if c.first_not_number is not None and 2 * c.not_number < report.rows - c.missing:
            row, value = c.first_not_number
            where = t("your_data.preview.first_text", row=row, value=value)
        rows.append(
            {
                t("your_data.preview.columns.name"): c.name,
                t("your_data.preview.columns.kind"): t(f"your_data.kinds.{c.kind}"),
                t("your_data.preview.columns.missing"): c.missing,
                t("your_data.preview.columns.distinct"): c.distinct,
                t("your_data.preview.columns.first_text"): where,
            }
        )
    return pd.DataFrame(rows)


def table_preview_ui(table: YourTable) -> None:
    """The table's size, how it was read, its first rows and a summary of its columns."""
    report = table.report
    st.subheader(t("your_data.preview.title", name=report.name))
    read = t(
        "your_data.preview.read",
        rows=report.rows,
        columns=len(report.columns),
        numeric=len(report.numeric_columns),
        delimiter=t(f"your_data.delimiters.{DELIMITER_KEYS[report.delimiter]}"),
        encoding=report.encoding.upper(),
    )
    if report.decimal_comma:
        read += t("your_data.preview.decimal_comma")
    st.caption(read)
    first, columns = st.tabs(
        [t("your_data.preview.first_rows"), t("your_data.preview.columns_tab")]
    )
    with first:
        shown = table.frame.head(PREVIEW_ROWS).rename_axis(t("your_data.preview.row"))
        st.dataframe(shown, width="stretch")
        st.caption(t("your_data.preview.rows_caption", shown=len(shown), rows=report.rows))
    with columns:
        st.dataframe(column_table(report), hide_index=True, width="stretch")
        st.caption(t("your_data.preview.columns_caption"))
