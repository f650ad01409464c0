"""Two controls moved in quick succession: does the second one jump back?

    python bench/quick_moves.py --tries 12

A real `streamlit run app.py` on a free localhost port and Debian's chromium (headless). Each
try opens the RNN lab in a fresh tab, presses End on "Epochs" and at once on "Sequence length
T", then reads T's slider every 20 ms for 4 s. A try *reverted* if T showed any value after
200 (the browser put an older value back under the student's hand, as a run overtaken by the
second move re-sent T's old value). Prints one JSON line: `tries`, `reverted`, and each
try's sequence of T values.

bench/README.md, "Two controls moved in quick succession", has its figures before and after
ui.state.remember stopped re-sending values the browser had sent.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: `python bench/quick_moves.py`

from bench.live_loop_speed import wait_idle  # noqa: E402
from tests.e2e.server import VIEWPORT, launch_chromium, streamlit_app  # noqa: E402

WATCH_SECONDS = 4.0
SAMPLE_SECONDS = 0.02


def one_try(page, url: str) -> list[str]:
    """Open the RNN lab, move Epochs then T to their ends at once; T's values as they changed."""
    page.goto(f"{url}/rnn?lang=en")
    page.get_by_text("Model summary").wait_for(timeout=60_000)
    wait_idle(page)
    page.wait_for_timeout(1000)  # the page's first runs are over
    epochs = page.get_by_role("slider", name=re.compile("^Epochs")).first
    length = page.get_by_role("slider", name=re.compile("^Sequence length T")).first
    epochs.focus()
    page.keyboard.press("End")
    length.focus()
    page.keyboard.press("End")
    values: list[str] = []
    end = time.perf_counter() + WATCH_SECONDS
    while time.perf_counter() < end:
        value = length.get_attribute("aria-valuetext")
        if not values or value != values[-1]:
            values.append(value)
        page.wait_for_timeout(SAMPLE_SECONDS * 1000)
    return values


def _reverted(values: list[str]) -> bool:
    """True if T showed another value after it had shown 200."""
    return "200" in values and any(v != "200" for v in values[values.index("200") :])


def main() -> None:
    """Run the tries and print one JSON line."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tries", type=int, default=12)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    tries = []
    with streamlit_app() as (_, url), sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            for _ in range(args.tries):
                context = browser.new_context(viewport=VIEWPORT)
                tries.append(one_try(context.new_page(), url))
                context.close()
        finally:
            browser.close()
    reverted = sum(1 for values in tries if _reverted(values))
    print(json.dumps({"tries": len(tries), "reverted": reverted, "values": tries}))


if __name__ == "__main__":
    main()
