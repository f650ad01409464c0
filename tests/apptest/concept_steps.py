"""AppTest steps the concept-lab page tests share: open a page, sweep its widgets, edit a table."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

TIMEOUT = 60
# AppTest resolves relative paths against the calling file, so anchor on the repository root.
ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "pages"


def page(name: str) -> AppTest:
    """AppTest of pages/<name>.py, run once, asserting it loaded without an exception."""
    at = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def _number(label: str):
    try:
        return float(label)
    except ValueError:
        return label


def sweep(at: AppTest, kind: str, ends: tuple[str, ...] = ("max", "min")) -> int:
    """Set every slider (or select_slider) of the page to its max, then its min; no run may raise.

    Max first so each widget is left at its cheap end (e.g. 10 optimizer steps, not 1000)
    while the next one is swept. `ends=("min",)` only leaves each at its min. Returns how
    many values were set.
    """
    widgets = getattr(at, kind)
    swept = 0
    for i in range(len(widgets)):
        for end in ends:
            widgets = getattr(at, kind)
            if i >= len(widgets):
                break
            w = widgets[i]
            if kind == "slider":
                value = w.min if end == "min" else w.max
                if isinstance(w.value, (tuple, list)):  # a range slider: both handles at one end
                    value = [value, value]
            else:
                # .options holds the formatted labels; the widget wants the option values.
                value = _number(w.options[0] if end == "min" else w.options[-1])
            w.set_value(value).run()
            assert not at.exception, f"{kind} {w.label!r} = {value}: {at.exception}"
            swept += 1
    return swept


def choose_each(at: AppTest, kind: str, key: str, values: Iterable) -> None:
    """Pick every value of one selectbox or radio in turn; no run may raise.

    `values` are the option values (AppTest's .options only holds their labels),
    so the test also fails if the widget stops offering one of them.
    """
    widget = at.get(kind)
    labels = next(w for w in widget if w.key == key).options
    values = list(values)
    assert len(values) == len(labels), (key, labels)
    for value in values:
        next(w for w in at.get(kind) if w.key == key).set_value(value).run()
        assert not at.exception, f"{key} = {value!r}: {at.exception}"


def edit(at: AppTest, key: str, edited_rows: dict | None = None, **changes) -> None:
    """Edit a data_editor the way the browser reports it (edited/added/deleted rows), then rerun."""
    at.session_state[key] = {
        "edited_rows": edited_rows or {},
        "added_rows": changes.get("added_rows", []),
        "deleted_rows": changes.get("deleted_rows", []),
    }
    at.run()


def _numbers(node) -> list[np.ndarray]:
    """Every numeric array in a Plotly JSON spec (plain lists and base64 "bdata" blocks)."""
    if isinstance(node, dict):
        if "bdata" in node and "dtype" in node:
            return [np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"])]
        return [a for v in node.values() for a in _numbers(v)]
    if isinstance(node, list):
        if node and all(isinstance(v, (int, float)) or v is None for v in node):
            return [np.array([np.nan if v is None else v for v in node], dtype=float)]
        return [a for v in node for a in _numbers(v)]
    return []


def chart_is_finite(chart) -> bool:
    """True when no number drawn by an AppTest plotly_chart element is NaN, None or infinite."""
    arrays = _numbers(json.loads(chart.proto.spec)["data"])
    return all(np.all(np.isfinite(a)) for a in arrays if a.dtype.kind == "f")
