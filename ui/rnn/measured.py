"""What the bench measured (each cell's memory over seeds), and deck 003's 「Deep Learning 心法」."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lessons.rnn_memory import accuracy_rows, measured_memory, ratio_at
from ui.language import markdown, t


def _cell_text(value: tuple[float, float, float] | None) -> str:
    if value is None:
        return "–"
    median, lo, hi = value
    return f"{median:.0%} ({lo:.0%}–{hi:.0%})"


def measured_ui() -> None:
    """The table bench/rnn_memory.py wrote to lessons/rnn_memory.json, and what it shows."""
    st.subheader(t("rnn.measured.title"))
    result = measured_memory()
    if result is None:
        st.info(t("rnn.measured.missing"))
        return
    s = result["settings"]
    markdown(
        "rnn.measured.intro",
        seeds=s["seeds"],
        hidden=s["hidden"],
        lr=s["lr"],
        epochs=s["epochs"],
        n=s["n_sequences"],
        batch=s["batch_size"],
    )
    rows = accuracy_rows(result)
    table = pd.DataFrame(
        {
            t("rnn.measured.cell"): [t(f"rnn.measured.cells.{r['cell']}") for r in rows],
            **{f"T = {length}": [_cell_text(r[length]) for r in rows] for length in s["lengths"]},
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    longest = s["lengths"][-1]
    markdown(
        "rnn.measured.ratios",
        rnn=ratio_at(result, "rnn", 30) or 0.0,
        lstm0=ratio_at(result, "lstm_bias0", 30) or 0.0,
        lstm3=ratio_at(result, "lstm_bias3", 30) or 0.0,
        rnn_long=ratio_at(result, "rnn", longest) or 0.0,
        lstm3_long=ratio_at(result, "lstm_bias3", longest) or 0.0,
        longest=longest,
    )
    markdown("rnn.measured.reading")


def tips_ui() -> None:
    """Deck 003's three tips, each with the lab that shows it."""
    st.subheader(t("rnn.tips.title"))
    markdown("rnn.tips.body")
    markdown("rnn.tips.gaussian")
