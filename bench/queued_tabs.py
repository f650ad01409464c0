"""What tabs waiting in the training queue cost: one tab trains, the others wait, on one server.

    python bench/queued_tabs.py --tabs 8                 # one JSON line
    python bench/queued_tabs.py --tabs 8 --repeats 3     # one line per repeat

A real `streamlit run app.py` on a free localhost port (one torch thread), and N tabs of
Debian's chromium (headless) on the Boston lab with a long run (batch 1, 1000 epochs, no early
stopping). The tabs click Train one after another: the first trains, the others wait for
the one training slot of a 2-core machine. From 0.5 s after every tab shows that, for
--seconds, the bench reads the CPU the server and the browsers used (bench/proc_stats), and
each tab's renderer main thread (Chrome DevTools Protocol, Performance.getMetrics
TaskDuration).
The bench's server gives a run a 60 s turn (NNLAB_TURN_SECONDS, models.admission), so the
window ends before the first run's turn does: one run trains and N-1 wait all through it, as
in a class that clicked Train together.

It prints `tabs`; `seconds`, the window; `server_cores` and
`browser_cores`, cores busy on average over the window (every chromium process on the
machine counts as a browser); `main_thread_share` per tab, the training tab first;
`samples_per_s`, the training run's average since it started, from its status line;
`waiting` and `first_training`, which say whether the window still ended with one run
training and N-1 waiting; `status_lines`; and the machine's `load_average` after it.

Unlike bench/classroom.py, which times whole runs end to end, this reads one steady state:
what a change in waiting tabs' work costs, without the runs' starts and ends (bench/README.md,
"A classroom on one server", twenty-first session, has its spread over repeats).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: `python bench/queued_tabs.py`

from bench.live_loop_speed import env_for  # noqa: E402
from bench.proc_stats import cpu_seconds_by_kind  # noqa: E402
from models.admission import TURN_ENV  # noqa: E402
from tests.e2e.server import (  # noqa: E402
    CHROMIUM,
    VIEWPORT,
    launch_chromium,
    start_streamlit,
    stop_streamlit,
)

MAX_TABS = 16
LONG_RUN = "/boston?early-stopping=0&batch-size=1&epochs=1000&lang=en"
SETTLE_SECONDS = 0.5  # after every tab shows its state: the browsers finish drawing it
# The bench's server gives a run this long a turn (models.admission.TURN_ENV): on a slow
# host, 8 clicks' reruns took 10-15 s, most of the usual 15 s turn.
TURN_SECONDS = 60.0
STATE_BUDGET_SECONDS = 30.0  # for every tab to show its state after the clicks
RATE = re.compile(r" · ([\d,]+) samples/s")
LOG = ROOT / "test-results" / "queued_tabs_streamlit.log"


def status_line(page) -> str:
    """The first line of the page's status line (its progress bar's text), or ""."""
    lines = page.locator('[data-testid="stProgress"]').first.inner_text().splitlines()
    return lines[0] if lines else ""


def wait_for_state(pages: list, budget: float) -> None:
    """Until the first tab's line says Training and every other tab's says Waiting.

    The window starts then: every click's rerun has been drawn. Raises after `budget` s.
    """
    deadline = time.perf_counter() + budget
    while True:
        lines = [status_line(page) for page in pages]
        if lines[0].startswith("Training") and all(x.startswith("Waiting") for x in lines[1:]):
            return
        if time.perf_counter() > deadline:
            raise RuntimeError(f"not one run training and the rest waiting: {lines}")
        pages[0].wait_for_timeout(100)


def main_thread_seconds(cdp) -> float:
    """Seconds the tab's renderer main thread has run tasks, so far."""
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "TaskDuration")


def measure(browser, url: str, server_pid: int, tabs: int, seconds: float) -> dict:
    """Open `tabs` tabs, click Train in each, and read one window of `seconds`."""
    pages, sessions = [], []
    try:
        for _ in range(tabs):
            page = browser.new_context(viewport=VIEWPORT).new_page()
            pages.append(page)
            page.goto(url + LONG_RUN)
            page.get_by_role("button", name="Train", exact=True).wait_for(timeout=120_000)
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")
            sessions.append(cdp)
        for page in pages:
            page.get_by_role("button", name="Train", exact=True).click()
        wait_for_state(pages, STATE_BUDGET_SECONDS)
        pages[0].wait_for_timeout(SETTLE_SECONDS * 1000)
        before = (
            [main_thread_seconds(c) for c in sessions],
            cpu_seconds_by_kind([server_pid], CHROMIUM),
        )
        start = time.perf_counter()
        pages[0].wait_for_timeout(seconds * 1000)
        after = (
            [main_thread_seconds(c) for c in sessions],
            cpu_seconds_by_kind([server_pid], CHROMIUM),
        )
        span = time.perf_counter() - start
        lines = [status_line(page) for page in pages]
    finally:
        for page in pages:
            page.context.close()
    rate = RATE.search(lines[0])
    return {
        "tabs": tabs,
        "seconds": round(span, 2),
        "server_cores": round((after[1]["server"] - before[1]["server"]) / span, 3),
        "browser_cores": round((after[1]["browsers"] - before[1]["browsers"]) / span, 3),
        "main_thread_share": [
            round((a - b) / span, 3) for a, b in zip(after[0], before[0], strict=True)
        ],
        "samples_per_s": int(rate.group(1).replace(",", "")) if rate else None,
        # N-1 when the window held the intended state: one run training, the rest waiting.
        "waiting": sum(line.startswith("Waiting") for line in lines[1:]),
        "first_training": lines[0].startswith("Training"),
        "status_lines": [line[:60] for line in lines],
    }


def main() -> None:
    """Measure, and print one JSON line per repeat."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tabs", type=int, default=8, help=f"2..{MAX_TABS}")
    ap.add_argument("--seconds", type=float, default=10.0, help="the window")
    ap.add_argument("--repeats", type=int, default=1)
    args = ap.parse_args()
    if not 2 <= args.tabs <= MAX_TABS:
        ap.error(f"--tabs must be 2..{MAX_TABS}")
    if args.repeats < 1:
        ap.error("--repeats must be at least 1")
    longest = TURN_SECONDS - STATE_BUDGET_SECONDS - SETTLE_SECONDS - 5.0
    if not 1.0 <= args.seconds <= longest:
        ap.error(f"--seconds must be 1..{longest:g}, inside the first run's turn")

    from playwright.sync_api import sync_playwright

    LOG.parent.mkdir(exist_ok=True)
    for _ in range(args.repeats):
        # A fresh server each time: no run, queue or cache left from the last repeat.
        env = {**env_for(1), TURN_ENV: str(TURN_SECONDS)}
        proc, url = start_streamlit(log_path=LOG, env=env)
        try:
            with sync_playwright() as p:
                browser = launch_chromium(p)
                try:
                    row = measure(browser, url, proc.pid, args.tabs, args.seconds)
                finally:
                    browser.close()
        finally:
            stop_streamlit(proc)
        row["load_average"] = [round(x, 2) for x in os.getloadavg()]
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
