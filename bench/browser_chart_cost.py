"""Browser CPU per redraw of each live chart: what a lab's redraws cost the core the trainer shares.

    python bench/browser_chart_cost.py                     # every chart, 16 s each (~4 min)
    python bench/browser_chart_cost.py curves boundary     # some of them
    python bench/browser_chart_cost.py --seconds 30 curves

For each chart it starts a tiny Streamlit app (written to a temporary file)
whose fragment redraws that chart twice a second with new data, built by the
app's own figure builders, and opens it in Debian's chromium (headless). After
a few seconds' settling it reads chromium's CPU time from /proc over
`--seconds`, and prints CPU milliseconds per redraw minus those of the same
app drawing no chart ("none": the fragment rerun and the status line alone).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script

from bench.proc_stats import cpu_seconds_by_kind  # noqa: E402
from tests.e2e.server import CHROMIUM, VIEWPORT, free_port, launch_chromium  # noqa: E402

REDRAW_SECONDS = 0.5  # the live view's fastest pace until 2026-11-30 (now once a second)

APP = r"""
import sys
sys.path.insert(0, {root!r})
import numpy as np
import pandas as pd
import streamlit as st
from ui.figures.classification import confusion_matrix_figure, decision_boundary_figure, hidden_units_figure
from ui.iris.figures import class_scatter_figure
from ui.figures.regression import predicted_vs_actual_figure
from ui.figures.training import loss_figure, metric_figure, step_loss_figure
from ui.live_chart import live_line_chart

CHART = {chart!r}
st.session_state.setdefault("n", 0)


@st.fragment(run_every={every})
def redraw():
    st.session_state.n += 1
    n = st.session_state.n
    rng = np.random.default_rng(n)
    st.progress(min(1.0, n / 1000), text=f"redraw {{n}}")
    xs = ys = np.linspace(-0.5, 1.5, 60)
    if CHART in ("curves", "curves_light"):  # the three training charts every lab redraws, ~100 epochs in
        epochs = [dict(epoch=i + 1, train_loss=1 / (i + 1), valid_loss=1.1 / (i + 1),
                       valid_accuracy=1 - 1 / (i + 2), train_accuracy=1 - 1 / (i + 3)) for i in range(n + 50)]
        figs = (loss_figure(epochs), metric_figure(epochs, "classification"),
                step_loss_figure(list(np.exp(-np.arange(10 * (n + 50)) / 300) + 0.05 * rng.random(10 * (n + 50)))))
        for i, fig in enumerate(figs):
            if CHART == "curves_light":  # the same figures on ui.live_chart's canvas
                live_line_chart(fig, key=f"chart{{i}}")
            else:
                st.plotly_chart(fig, width="stretch")
    elif CHART == "boundary_unchanged":  # the same figure at every redraw (ui.paced_views)
        gx, gy = np.meshgrid(xs, ys)
        prob = 1 / (1 + np.exp(-8 * (np.abs(gx - gy) - 0.4)))
        corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
        st.plotly_chart(decision_boundary_figure(xs, ys, prob, corners, np.array([0, 1, 1, 0])), width="stretch")
    elif CHART == "boundary":  # XOR: a smooth probability map that moves a little each time
        gx, gy = np.meshgrid(xs, ys)
        prob = 1 / (1 + np.exp(-8 * (np.abs(gx - gy) - 0.4 + 0.01 * (n % 30))))
        corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
        st.plotly_chart(decision_boundary_figure(xs, ys, prob, corners, np.array([0, 1, 1, 0])), width="stretch")
    elif CHART == "hidden_units":  # XOR's 3 hidden units
        st.plotly_chart(hidden_units_figure(xs, ys, [rng.random((3600, 3))]), width="stretch")
    elif CHART == "confusion":  # Iris
        st.plotly_chart(confusion_matrix_figure(rng.integers(0, 10, (3, 3)), ["setosa", "versicolor", "virginica"]),
                        width="stretch")
    elif CHART == "scatter":  # Iris: 80 validation flowers over 70 training rows
        st.plotly_chart(class_scatter_figure(rng.random(80), rng.random(80), rng.integers(0, 3, 80),
                                             rng.integers(0, 3, 80), ["a", "b", "c"], "x", "y",
                                             background=(rng.random(70), rng.random(70))), width="stretch")
    elif CHART == "predicted_vs_actual":  # Boston: ~100 validation houses, network and linear
        y = rng.random(102) * 50
        st.plotly_chart(predicted_vs_actual_figure(y, {{"network": y + rng.normal(0, 3, 102),
                                                        "linear": y + rng.normal(0, 5, 102)}}), width="stretch")
    elif CHART == "table":  # XOR's truth table
        st.dataframe(pd.DataFrame({{"x": [0, 0, 1, 1], "P(1)": rng.random(4)}}), hide_index=True)
    elif CHART == "metric":
        st.metric("Validation accuracy", f"{{rng.random():.1%}}")


redraw()
"""

CHARTS = [
    "none",
    "curves",
    "curves_light",
    "boundary",
    "boundary_unchanged",
    "hidden_units",
    "confusion",
    "scatter",
    "predicted_vs_actual",
    "table",
    "metric",
]


def _browser_cpu(server_pid: int) -> float:
    """CPU seconds used so far by this bench's tree less the app's: chromium, its driver, this script.

    The same sum as the figures in bench/README.md (all taken before 3ee81cb split them).
    """
    used = cpu_seconds_by_kind([server_pid], CHROMIUM, under=os.getpid())
    return used["browsers"] + used["other"]


def measure(chart: str, seconds: float) -> tuple[float, int]:
    """(chromium CPU seconds, redraws) over `seconds` of the app redrawing `chart`."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        app = Path(tmp) / "app.py"
        app.write_text(APP.format(root=str(ROOT), chart=chart, every=REDRAW_SECONDS))
        port = free_port()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(app),
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--server.fileWatcherType",
                "none",
                "--browser.gatherUsageStats",
                "false",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                    break
                except OSError:
                    time.sleep(0.3)
            with sync_playwright() as p:
                browser = launch_chromium(p)
                page = browser.new_context(viewport=VIEWPORT).new_page()
                page.goto(f"http://127.0.0.1:{port}")
                page.wait_for_selector("text=redraw", timeout=60_000)
                time.sleep(5)  # first mount, the charting library's load
                counter = "() => document.querySelector(\"[data-testid='stProgress']\").textContent"
                n0, cpu0 = int(page.evaluate(counter).split()[-1]), _browser_cpu(proc.pid)
                time.sleep(seconds)
                n1, cpu1 = int(page.evaluate(counter).split()[-1]), _browser_cpu(proc.pid)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return cpu1 - cpu0, n1 - n0


def main() -> None:
    """Time each chosen chart's browser CPU per redraw against an empty redraw, and print it."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("charts", nargs="*", help=f"some of: {', '.join(CHARTS[1:])} (default: all)")
    ap.add_argument("--seconds", type=float, default=16.0)
    args = ap.parse_args()
    unknown = set(args.charts) - set(CHARTS)
    if unknown:
        ap.error(
            f"unknown chart(s) {', '.join(sorted(unknown))}; choose from {', '.join(CHARTS[1:])}"
        )
    wanted = [c for c in (args.charts or CHARTS) if c != "none"]
    base_cpu, base_n = measure("none", args.seconds)
    base = base_cpu / max(base_n, 1)
    print(
        f"{'none':20s} {1000 * base:6.1f} ms CPU per redraw ({base_n} redraws, {base_cpu:.2f} s): the floor",
        flush=True,
    )
    for chart in wanted:
        cpu, n = measure(chart, args.seconds)
        print(
            f"{chart:20s} {1000 * (cpu / max(n, 1) - base):6.1f} ms CPU per redraw above the floor "
            f"({n} redraws, {cpu:.2f} s)",
            flush=True,
        )
    load = os.getloadavg()
    print(
        f"chromium headless, {os.cpu_count()} CPUs, load average at the end {load[0]:.1f}; the browser's CPU "
        "includes the Playwright driver, which is idle here"
    )


if __name__ == "__main__":
    main()
