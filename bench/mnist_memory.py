"""MNIST loading time, and the Streamlit server's memory with 1 and with 3 browser sessions on the lab.

1. Loading: in a fresh Python process, time data.load("mnist") cold (parse
   the gzipped IDX files) and warm (the per-process cache), and check the
   arrays are uint8 and read-only.
2. Memory: start `streamlit run app.py`, then open browser sessions one by
   one. Each session does what a student does: opens the MNIST lab, draws a
   digit, opens Inspect, trains the Fast MLP for a few seconds and pauses.
   The server's resident memory (VmRSS from /proc/<pid>/status) is read
   before any session, after the first and after the third.

Run: `python bench/mnist_memory.py [--train-seconds 4] [--json]`.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stroke_latency import ROOT, draw_stroke, open_mnist  # noqa: E402

from tests.e2e.server import VIEWPORT, launch_chromium, streamlit_app  # noqa: E402

LOAD_PROBE = """
import time, data
t0 = time.perf_counter(); ds = data.load("mnist"); cold = time.perf_counter() - t0
t0 = time.perf_counter(); data.load("mnist"); warm = time.perf_counter() - t0
print(cold, warm, ds.X_train.dtype, ds.X_train.flags.writeable, ds.X_valid.flags.writeable, ds.X_train.nbytes)
"""


def load_timing() -> dict:
    """Cold and warm data.load("mnist") in a fresh process, and the arrays' dtype and writability."""
    out = subprocess.run(
        [sys.executable, "-c", LOAD_PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    cold, warm, dtype, w_train, w_valid, nbytes = out.stdout.split()
    return {
        "cold_s": round(float(cold), 3),
        "warm_s": round(float(warm), 6),
        "dtype": dtype,
        "read_only": w_train == "False" and w_valid == "False",
        "X_train_MB": round(int(nbytes) / 2**20, 1),
    }


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MiB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def student_session(browser, url: str, train_seconds: float):
    """One student's visit; returns the open page (its session stays alive while the page is open)."""
    page = browser.new_context(viewport=VIEWPORT).new_page()
    page.set_default_timeout(60_000)
    box = open_mnist(page, url)
    draw_stroke(page, box, 1)
    page.locator(".st-key-mnist_prediction").get_by_text("after stroke 1").wait_for()
    page.get_by_role("tab", name="Inspect").click()
    page.get_by_text("Validation accuracy:").wait_for()
    page.get_by_role("tab", name="Train").click()
    # The preset's 5 epochs can be over in 4 s; 30 leave the Pause below something to pause.
    page.get_by_text("Model summary").wait_for()
    page.get_by_role("slider", name=re.compile("^Epochs")).focus()
    page.keyboard.press("End")
    page.get_by_role("slider", name=re.compile("^Epochs")).and_(
        page.locator("[aria-valuetext='30']")
    ).wait_for()
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text("samples/s").first.wait_for()
    time.sleep(train_seconds)
    page.get_by_role("button", name="Pause").click()
    page.get_by_text("Paused").first.wait_for()
    return page


def measure(train_seconds: float) -> dict:
    """Server RSS before any session, after one and after three."""
    from playwright.sync_api import sync_playwright

    result = {}
    with streamlit_app(Path("/tmp/nnlab_memory.log")) as (proc, url):
        time.sleep(1)
        result["idle_MB"] = round(rss_mb(proc.pid), 1)
        with sync_playwright() as p:
            browser = launch_chromium(p)
            pages = [student_session(browser, url, train_seconds)]
            time.sleep(2)
            result["one_session_MB"] = round(rss_mb(proc.pid), 1)
            pages += [student_session(browser, url, train_seconds) for _ in range(2)]
            time.sleep(2)
            result["three_sessions_MB"] = round(rss_mb(proc.pid), 1)
            browser.close()
    result["per_extra_session_MB"] = round(
        (result["three_sessions_MB"] - result["one_session_MB"]) / 2, 1
    )
    return result


def main(argv: list[str] | None = None) -> int:
    """Measure loading and memory; print a summary (or JSON)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train-seconds", type=float, default=4.0)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    result = {"load": load_timing(), "memory": measure(args.train_seconds)}
    if args.json:
        print(json.dumps(result))
    else:
        ld, mem = result["load"], result["memory"]
        print(
            f"data.load('mnist'): cold {ld['cold_s']} s, warm {ld['warm_s'] * 1000:.3f} ms, "
            f"{ld['dtype']}, read-only: {ld['read_only']} ({ld['X_train_MB']} MB of training pixels)"
        )
        print(
            f"server RSS: idle {mem['idle_MB']} MB, 1 session {mem['one_session_MB']} MB, "
            f"3 sessions {mem['three_sessions_MB']} MB (+{mem['per_extra_session_MB']} MB per extra session; "
            f"a float32 copy of the training set alone would be 180 MB)"
        )
    return 0 if result["load"]["cold_s"] <= 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
