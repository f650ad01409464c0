"""How long a fresh server takes: `streamlit run` to a usable first page, and first Train click to a live chart.

Each repeat starts its own `streamlit run app.py` (tests/e2e/server.py, as the
browser tests do) and one headless chromium page, and times on the wall clock:

- `health_s`: from starting the process to /_stcore/health answering;
- `first_page_s`: from starting the process to the home page usable in the
  browser: the lab links drawn and no script running any more;
- `lab_page_s`: from asking for the lab's page (after the first page) to its
  controls drawn ("Model summary");
- `click_to_chart_s`: from the first click on Train to the first live chart
  (the "Training loss per step" chart) drawn in the browser.

It also prints the CLI's own start-up: `python -m models.train --help` and
an argument error, with the modules they imported (torch must not be one).
Run: `python bench/startup.py [--repeats 3] [--lab xor] [--json]`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.server import VIEWPORT, launch_chromium, start_streamlit, stop_streamlit  # noqa: E402

LIVE_CHART = "Training loss per step"  # the live view's step-loss chart title (English)


def wait_idle(page, timeout_ms: int = 120_000) -> None:
    """Until the page is mounted and Streamlit shows no running-script indicator."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms
    )


def fresh_server(browser, lab: str) -> dict[str, float]:
    """One cold server: the four times of the module docstring, in seconds."""
    t0 = time.perf_counter()
    proc, url = start_streamlit(timeout=180)
    times = {"health_s": time.perf_counter() - t0}
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    try:
        page = context.new_page()
        page.set_default_timeout(180_000)
        page.goto(f"{url}/?lang=en")
        page.locator("[data-testid='stSidebarNav'] a").first.wait_for()
        wait_idle(page)
        times["first_page_s"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        page.goto(f"{url}/{lab}?lang=en")
        wait_idle(page)
        page.get_by_text("Model summary").first.wait_for()
        times["lab_page_s"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        page.get_by_role("button", name="Train", exact=True).click()
        page.get_by_text(LIVE_CHART).first.wait_for()
        times["click_to_chart_s"] = time.perf_counter() - t2
    finally:
        context.close()
        stop_streamlit(proc)
    return {k: round(v, 3) for k, v in times.items()}


def cli_start(argv: list[str]) -> dict:
    """Wall time of `python -m models.train ARGV` and whether it imported torch."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "models.train", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - t0
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()}
    return {"seconds": round(seconds, 3), "code": proc.returncode, "torch": "torch" in imported}


def main(argv: list[str] | None = None) -> int:
    """Time `--repeats` fresh servers and the CLI; print medians (or one JSON line)."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--lab", default="xor")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    from playwright.sync_api import sync_playwright

    results: dict = {
        "cli_help": cli_start(["--help"]),
        "cli_bad_argument": cli_start(["--dataset", "mnist", "--epochs", "many"]),
    }
    runs = []
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            for _ in range(args.repeats):
                runs.append(fresh_server(browser, args.lab))
                if not args.json:
                    print(runs[-1], flush=True)
        finally:
            browser.close()
    results.update(lab=args.lab, runs=runs)
    results["median"] = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    if args.json:
        print(json.dumps(results))
    else:
        for key in ("cli_help", "cli_bad_argument"):
            print(f"{key}: {results[key]}")
        print(f"median of {args.repeats} fresh servers ({args.lab}): {results['median']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
