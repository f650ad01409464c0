"""What bench/rnn_memory.py measured, for the RNN lab's page (read from lessons/rnn_memory.json).

The bench writes the JSON; the page only reads it, so the numbers it states
are the ones measured on this machine, with their spread over seeds.
"""

from __future__ import annotations

import json
from pathlib import Path

MEASURED = Path(__file__).resolve().with_name("rnn_memory.json")
CELLS = ("rnn", "lstm_bias0", "lstm_bias3", "gru")


def measured_memory(path: Path = MEASURED) -> dict | None:
    """The bench's result ({"settings", "minutes", "cells"}), or None if it was never run."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def accuracy_rows(result: dict) -> list[dict]:
    """One row per cell: {"cell", and per length T: (median, min, max) validation accuracy}."""
    lengths = result["settings"]["lengths"]
    rows = []
    for cell in CELLS:
        by_len = result["cells"].get(cell, {})
        row: dict = {"cell": cell}
        for length in lengths:
            acc = by_len.get(str(length), {}).get("accuracy")
            row[length] = (acc["median"], acc["min"], acc["max"]) if acc else None
        rows.append(row)
    return rows


def ratio_at(result: dict, cell: str, length: int) -> float | None:
    """The median |∂L/∂h₁| / |∂L/∂h_T| at initialization the bench found for `cell` at T = length."""
    entry = result["cells"].get(cell, {}).get(str(length))
    return entry["ratio"]["median"] if entry else None
