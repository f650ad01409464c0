"""Shared AppTest steps for the lab pages: open a page, train it to the end, push sliders to their ends."""

from __future__ import annotations

import json
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
DONE_WORDS = ("Finished", "Stopped early", "Diverged")


def open_page(name: str, lang: str | None = None) -> AppTest:
    """AppTest of pages/<name>.py (with ?lang=<lang> if given), run once, without an exception."""
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=60)
    if lang is not None:
        at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def open_linked(name: str, **query: str) -> AppTest:
    """AppTest of pages/<name>.py opened with the URL keys `query`, run once, without an exception."""
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=60)
    at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


def progress_text(at: AppTest) -> str:
    """The training status line ("Training · epoch 3/10 · …"; "Ready" before a run exists)."""
    bars = at.get("progress")
    return bars[0].proto.text if bars else ""


# Widgets that hold a value a test can set.
VALUE_WIDGETS = (
    "slider",
    "select_slider",
    "selectbox",
    "radio",
    "toggle",
    "number_input",
    "multiselect",
)


def open_model_files(at: AppTest, lab: str) -> AppTest:
    """Open the lab's model-file expander (it draws its uploader only while open) and rerun."""
    key = f"{lab}_files_open"
    if key not in at.session_state or not at.session_state[key]:
        at.session_state[key] = True
        at.run()
        assert not at.exception, at.exception
    return at


def upload_model_file(at: AppTest, lab: str, name: str, blob: bytes) -> None:
    """Upload `blob` as file `name` through the lab's model-file uploader, and run."""
    open_model_files(at, lab)
    at.file_uploader(key=f"{lab}_upload").set_value((name, blob, "application/octet-stream"))
    at.run()
    assert not at.exception, at.exception


def set_widget(at: AppTest, key: str, value) -> None:
    """Set any keyed widget's value (not run yet)."""
    for kind in VALUE_WIDGETS:
        for w in at.get(kind):
            if getattr(w, "key", None) == key:
                w.set_value(value)
                return
    raise KeyError(f"no widget with key {key!r}")


def long_xor_run(at: AppTest) -> None:
    """Set XOR's page for a run that still trains whenever a test looks: 400,000 steps.

    A cloud of 200 points at batch size 1 for 2,000 epochs trains for minutes on any host, so a
    test that pauses it, or reads it while it trains, does not depend on the machine's speed.
    """
    set_widget(at, "xor_cloud", True)
    at.run()  # the cloud's size slider appears with the cloud
    set_widget(at, "xor_n", 50)
    set_widget(at, "xor_epochs", 2000)
    set_widget(at, "xor_batch", 1)
    at.run()


def train_to_end(at: AppTest, lab: str, budget_seconds: float = 180) -> str:
    """Press Train, then rerun (as the live fragment's timer would) until the run ends; return the status.

    Waits on the run itself (in any language) with a time budget, not a count of
    reruns: how many reruns a run needs depends on how fast the machine trains.
    """
    at.button(key=f"{lab}_train").click()
    at.run()
    live = lab_session(at, lab).live
    deadline = time.monotonic() + budget_seconds
    while True:
        assert not at.exception, at.exception
        with live.borrow() as run:
            done = run is not None and run.done
        if done and not live.running:
            # The last run may have been drawn while the run still trained (it ended between
            # that run and this check): draw the page once more, as the finished run's.
            at.run()
            assert not at.exception, at.exception
            return progress_text(at)
        if time.monotonic() > deadline:
            raise AssertionError(
                f"training did not finish within {budget_seconds:.0f} s: {progress_text(at)!r}"
            )
        time.sleep(0.05)  # let the trainer thread work between reruns
        at.run()


def rerun_until(at: AppTest, condition, what: str, budget_seconds: float = 120) -> None:
    """Rerun (as the live fragment's timer would) until `condition()` holds, within a time budget."""
    deadline = time.monotonic() + budget_seconds
    while not condition():
        assert not at.exception, at.exception
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {budget_seconds:.0f} s")
        time.sleep(0.05)
        at.run()


def run_stat(at: AppTest, key: str, read):
    """`read(run)` on lab `key`'s borrowed run (None without a run)."""
    with lab_session(at, key).live.borrow() as run:
        return None if run is None else read(run)


def lab_session(at: AppTest, key: str):
    """The LabSession (ui.state) of lab `key` in the AppTest's session state."""
    return at.session_state[f"lab_session::{key}"]


def _option_value(widget, label: str):
    """The option value a select_slider shows as `label` (AppTest sets values, the proto holds labels)."""
    fmt = widget.format_func
    for cast in (int, float, str):
        try:
            candidate = cast(label)
        except ValueError:
            continue
        if str(fmt(candidate)) == label:
            return candidate
    for candidate in (0, 0.0, None, False):  # "off"-style labels
        try:
            if str(fmt(candidate)) == label:
                return candidate
        except (TypeError, ValueError):
            continue
    raise ValueError(f"cannot map select_slider label {label!r} back to a value")


def push_sliders(at: AppTest, end: str) -> list[str]:
    """Move every slider and select_slider to its minimum (end="min") or maximum ("max"), run, check.

    Returns the labels moved, so a test can assert it covered the page's sliders.
    """
    moved = []
    for s in at.slider:
        s.set_value(s.min if end == "min" else s.max)
        moved.append(s.label)
    for s in at.select_slider:
        label = s.options[0] if end == "min" else s.options[-1]
        s.set_value(_option_value(s, label))
        moved.append(s.label)
    at.run()
    assert not at.exception, (end, at.exception)
    return moved


def texts(at: AppTest, kind: str) -> list[str]:
    """The bodies of every element of one kind (markdown, error, warning, info, success, caption)."""
    return [e.value for e in at.get(kind)]


def charts(at: AppTest) -> list[dict]:
    """Every Plotly chart on the page as {"title": ..., "traces": [trace names]}, in page order."""
    out = []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        title = spec["layout"].get("title") or {}
        out.append(
            {
                "title": title.get("text", "") if isinstance(title, dict) else str(title),
                "traces": [t.get("name") for t in spec["data"]],
            }
        )
    return out


def light_charts(at: AppTest) -> list[dict]:
    """Every light live chart (ui.live_chart) as {"title": ..., "points": points over its lines}."""
    out = []
    for element in at.get("bidi_component"):
        spec = json.loads(element.proto.json)
        if "lines" in spec and "title" in spec:  # the digit pad is a component too
            points = sum(sum(y is not None for y in line["y"]) for line in spec["lines"])
            out.append({"title": spec["title"], "points": points})
    return out
