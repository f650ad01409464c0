"""Language switch cost: a rerun after switching language against an ordinary rerun, per page.

    python bench/language_switch.py [--repeats 15] [--pages xor mnist ...]

Goal (bilingual issue): switching language costs no more than an ordinary rerun.
Each page is opened through the router (app.py) in AppTest, as a student opens it.
Then, alternately, the script is rerun after an ordinary change (a widget that
every page has: the sidebar's language switch set to the language already in
force, i.e. a plain rerun with nothing changed) and after a language switch
(?lang= flipped between zh-TW and en). Both are timed around AppTest.run(), the
server's whole script run. The ratio of medians is printed per page, with the
spread (min-max of the per-repeat ratios). Browser-side rendering is not
included: the browser redraws the same elements either way, with other text.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from lessons.registry import LABS  # noqa: E402


def timed_run(at: AppTest) -> float:
    """Seconds one AppTest rerun takes."""
    start = time.perf_counter()
    at.run()
    took = time.perf_counter() - start
    assert not at.exception, at.exception
    return took


def measure(page: str, repeats: int) -> dict:
    """Median seconds of plain reruns and of language switches on one page, and their ratio."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page(page).run()
    for _ in range(2):  # warm caches (datasets, figures' first build) in both languages
        at.query_params["lang"] = "zh-TW"
        at.run()
        at.query_params["lang"] = "en"
        at.run()
    plain, switch, ratios = [], [], []
    lang = "en"
    for _ in range(repeats):
        p = timed_run(at)  # nothing changed: an ordinary rerun
        lang = "zh-TW" if lang == "en" else "en"
        at.query_params["lang"] = lang
        s = timed_run(at)
        plain.append(p)
        switch.append(s)
        ratios.append(s / p)
    return {
        "page": page,
        "plain_ms": round(1000 * statistics.median(plain), 1),
        "switch_ms": round(1000 * statistics.median(switch), 1),
        "ratio": round(statistics.median(switch) / statistics.median(plain), 2),
        "ratio_min": round(min(ratios), 2),
        "ratio_max": round(max(ratios), 2),
    }


def main() -> None:
    """Measure every page (or --pages) and print one JSON line per page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--pages", nargs="+", default=[lab.name for lab in LABS])
    args = parser.parse_args()
    for name in args.pages:
        print(json.dumps(measure(f"pages/{name}.py", args.repeats)), flush=True)


if __name__ == "__main__":
    main()
