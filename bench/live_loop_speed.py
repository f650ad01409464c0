"""Live-loop speed: training throughput inside the app's time-sliced loop vs headless training.

    python bench/live_loop_speed.py                 # every lab at its defaults; 2 repeats each
    python bench/live_loop_speed.py --long --repeats 3   # the figures in bench/README.md
    python bench/live_loop_speed.py --labs xor --repeats 3 --threads 1

How it measures (the student's experience, end to end):

* live: a real `streamlit run app.py` on a free localhost port, driven by
  Playwright with Debian's chromium (headless). For each lab it opens the page
  with its default settings (--long: more epochs), clicks Train, and reads the
  status line every 250 ms until it says Finished / Stopped early.
  - *click to Finished* runs from the click to that text, so it includes
    everything the app does: the first full rerun, every redraw, the browser
    drawing the charts on the same CPU cores, and the final rerun.
  - *while training* is the least-squares slope of samples against time over
    every redraw the server sent while the run trained (`watch_frames`), timed
    by the status line's clock: the wall time since the trainer thread started,
    taken on the server at each redraw. That is the loop's rate, redraws and
    slices included, without the fixed cost of the two full reruns.
  - *whole run* is every sample over the clock the ended run's status line
    shows: the same loop's rate from the trainer's start to its end, which a
    run too short for three redraws (XOR's 4 points) still gives.
* headless: `models.train` on the same dataset, ModelConfig and TrainConfig
  (the page's defaults, copied from its ControlSpec), in a fresh subprocess
  with the same torch thread setting as the server, timed around the training
  call only.

CPU seconds during each live run come by kind, within this bench's own process
tree (bench/proc_stats): the server's, chromium's processes (the browser), and
the rest: the Playwright driver and this script, which read the page 4 times a
second. Before 3ee81cb, "browser" was chromium, the driver and the script together.

The run is bit-identical in both (same seed; slices change nothing but when
control returns), so both process the same samples, and the bench checks that
the page ends on the same epoch and step counts as headless.
The status line's own samples/s counts training time only; the bench uses it
only to split the live/headless ratio into loop share x step speed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: `python bench/live_loop_speed.py`

from bench.live_labs import LABS, SMALLEST_BATCH_WHEN_LONG  # noqa: E402
from bench.proc_stats import cpu_seconds_by_kind  # noqa: E402
from tests.e2e.server import (  # noqa: E402
    CHROMIUM,
    VIEWPORT,
    launch_chromium,
    start_streamlit,
    stop_streamlit,
)

PROGRESS = re.compile(
    r"(Training|Finished|Stopped early|Paused) · epoch (\d+)/(\d+) · step ([\d,]+)"
    r" · ([\d,]+) samples/s · ([\d,]+\.\d+) s"
)
POLL_SECONDS = 0.25  # reading the page forces a layout of all its charts: don't do it too often

# The headless side: the page's own defaults, rebuilt from its SPEC so the two can't drift apart.
HEADLESS = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import torch
import data
from models import ModelConfig, TrainConfig, TrainingRun
lab = sys.argv[2]
spec = json.loads(sys.argv[3])
ds = data.load(spec.get("dataset", lab), **spec["load"])
mc = ModelConfig(input_shape=ds.input_shape, n_outputs=ds.n_outputs, task=ds.task, **spec["model"])
run = TrainingRun(ds, mc, TrainConfig(**spec["train"]))
t0 = time.perf_counter()
run.advance()
wall = time.perf_counter() - t0
print(json.dumps({"wall": wall, "samples": run.samples_seen, "n_train": len(ds.y_train),
                  "train_only_sps": run.samples_per_sec, "epochs": run.epoch, "steps": run.step,
                  "train_seconds": run.train_seconds, "threads": torch.get_num_threads()}))
"""


def env_for(threads: int | None) -> dict:
    """Environment for the server and headless runs: the repo importable, `threads` threads."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if threads:
        env["OMP_NUM_THREADS"] = str(threads)  # torch's intra-op thread count, read at start-up
    return env


def headless(lab: str, spec: dict, threads: int | None) -> dict:
    """Train `lab` with `spec` in a fresh subprocess (the HEADLESS script); its JSON result."""
    out = subprocess.run(
        [sys.executable, "-c", HEADLESS, str(ROOT), lab, json.dumps(spec)],
        env=env_for(threads),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def wait_idle(page) -> None:
    """Wait until the page has loaded and Streamlit shows no running-script indicator."""
    page.wait_for_selector("[data-testid='stApp']")
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )


# The status line's text inside the server's websocket frames (protobuf carries strings as UTF-8).
FRAME_PROGRESS = re.compile(PROGRESS.pattern.replace("·", "\xc2\xb7").encode("latin-1"))


def watch_frames(page) -> list[tuple[float, str, int, int]]:
    """From now on, record (server clock, status word, epoch, step) for every redraw the server sends.

    The clock is the status line's own: the seconds the run has trained, taken on the server while
    it draws. Frames reach the browser late and in bursts when the trainer thread keeps the
    server's event loop waiting for the GIL (XOR at batch 1: two frames 0.15 s apart, then none for
    a second), so their arrival times would misstate the rate. Unlike reading the page, this sees
    every redraw. Call before the page opens its websocket; events reach Python while the script
    waits inside a Playwright call (`live` waits with page.wait_for_timeout).
    """
    frames: list[tuple[float, str, int, int]] = []

    def on_frame(payload) -> None:
        if isinstance(payload, bytes):
            for m in FRAME_PROGRESS.finditer(payload):
                frames.append(
                    (
                        float(m.group(6).replace(b",", b"")),
                        m.group(1).decode(),
                        int(m.group(2)),
                        int(m.group(4).replace(b",", b"")),
                    )
                )

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    return frames


def watch_errors(page) -> list[str]:
    """From now on, keep the text of every uncaught error the page raises (Streamlit's frontend)."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def open_lab(page, url: str, lab: str) -> None:
    """Open `lab`'s page (and its controls' tab) and wait until its script has really run."""
    page.goto(url + LABS[lab]["path"])
    wait_idle(page)
    if "tab" in LABS[lab]:
        page.get_by_role("tab", name=LABS[lab]["tab"]).click()
        wait_idle(page)
    page.get_by_text("Model summary").wait_for(timeout=60_000)  # the page script has really run


def slider_to(page, label: str, key: str) -> str:
    """Press Home or End on the slider labelled `label` until its value changes; return the new value.

    A key press that lands while the previous change's rerun is redrawing the sidebar can be lost,
    so settle first and retry.
    """
    box = (
        page.locator("[data-testid='stSlider']")
        .filter(has=page.get_by_text(re.compile("^" + re.escape(label))))
        .first
    )
    before = slider_value(page, label)
    for _ in range(5):
        time.sleep(1.0)
        wait_idle(page)
        box.get_by_role("slider").first.focus()
        page.keyboard.press(key)
        time.sleep(1.0)
        wait_idle(page)
        page.get_by_text("Model summary").wait_for(timeout=60_000)
        now = slider_value(page, label)
        if now != before:
            return now
    raise RuntimeError(f"could not move the {label!r} slider with {key}")


def slider_value(page, label: str) -> str | None:
    """The value a slider shows (None if the page has no slider with that label)."""
    boxes = (
        page.locator("[data-testid='stSlider']")
        .filter(has=page.get_by_text(re.compile("^" + re.escape(label))))
        .all()
    )
    for box in boxes:
        lines = [line.strip() for line in box.inner_text().split("\n") if line.strip()]
        return lines[1]
    return None


def samples_at(epoch: int, step: int, n_train: int, batch: int) -> int:
    """Samples processed after `step` steps of which `epoch` epochs are complete."""
    per_epoch = -(-n_train // batch)
    return epoch * n_train + (step - epoch * per_epoch) * batch


def status_text(page) -> str:
    """The status line's text. textContent, unlike inner_text(), forces no layout of the page's
    charts, so reading it 4 times a second costs the browser (and the CPU we share) nothing."""
    return page.evaluate(
        "() => { const p = document.querySelector(\"[data-testid='stProgress']\"); return p ? p.textContent : ''; }"
    ).strip()


def live(
    page,
    lab: str,
    n_train: int,
    batch: int,
    frames: list,
    timeout: float = 900,
    errors: list[str] | None = None,
) -> dict:
    """Click Train on an opened lab page (watched by `watch_frames`); time it until the run ends.

    Wall time runs from the click to the page showing Finished / Stopped early. The rate while
    training is the least-squares slope of samples against the server's training clock over the
    redraws sent while the status said Training.
    """
    del frames[:]
    page.get_by_role("button", name="Train", exact=True).click()
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        m = PROGRESS.search(status_text(page))
        if m and m.group(1) in ("Finished", "Stopped early"):
            wall = time.perf_counter() - t0
            epoch, step = int(m.group(2)), int(m.group(4).replace(",", ""))
            mid = [
                (t, samples_at(e, s, n_train, batch))
                for t, word, e, s in frames
                if word == "Training" and s > 0
            ]
            steady = (
                statistics.linear_regression([t for t, _ in mid], [n for _, n in mid]).slope
                if len(mid) >= 3
                else float("nan")
            )
            # The ended run's status line carries the whole time it trained (server clock):
            # a rate over every step, for runs too short to give the slope 3 redraws.
            ended = ("Finished", "Stopped early")
            if not any(word in ended for _, word, _, _ in frames):
                page.wait_for_timeout(500)  # its websocket event may reach Python a moment later
            ends = [t for t, word, _, _ in frames if word in ended]
            whole = samples_at(epoch, step, n_train, batch) / ends[-1] if ends else float("nan")
            return {
                "wall": wall,
                "epochs": epoch,
                "steps": step,
                "steady_sps": steady,
                "whole_run_sps": whole,
                "readings": len(mid),
                "train_only_sps": float(m.group(5).replace(",", "")),
            }
        page.wait_for_timeout(
            POLL_SECONDS * 1000
        )  # lets Playwright deliver the websocket frames meanwhile
    raise RuntimeError(
        f"{lab}: not finished after {timeout} s; the page shows {status_text(page)!r}, and the"
        f" server's last redraws were {frames[-3:]}; page errors: {errors}"
    )


def main() -> None:
    """Measure every chosen lab live and headless, and print one line (and optionally JSON) each."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--labs", nargs="+", default=list(LABS), choices=list(LABS))
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument(
        "--threads",
        type=int,
        default=None,
        help="torch threads for both sides (OMP_NUM_THREADS); default: torch's own choice",
    )
    ap.add_argument(
        "--long",
        action="store_true",
        help="longer runs, steadier numbers: each page's Epochs slider at its maximum, "
        "XOR and Iris at batch size 1, Boston without early stopping",
    )
    ap.add_argument("--json", action="store_true", help="print one JSON line per lab too")
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    proc, url = start_streamlit(env=env_for(args.threads))
    rows = []
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            warm = browser.new_context(viewport=VIEWPORT).new_page()
            for (
                lab
            ) in args.labs:  # first visits import torch, plotly, sklearn in the server: not timed
                open_lab(warm, url, lab)
            warm.context.close()
            for lab in args.labs:
                spec = json.loads(json.dumps(LABS[lab]))
                lives, heads = [], []
                for _ in range(args.repeats):
                    page = browser.new_context(viewport=VIEWPORT).new_page()
                    frames = watch_frames(page)
                    errors = watch_errors(page)
                    open_lab(page, url, lab)
                    for label in spec.get("toggles", []):
                        page.get_by_text(label).click()
                        time.sleep(1.0)
                        wait_idle(page)
                    for label in spec.get("sliders_home", []):
                        slider_to(page, label, "Home")
                    if args.long:
                        if "early_stopping" in spec["train"]:
                            # Off, so that Boston trains all its epochs (with it, ~200 of them).
                            if slider_to(page, "Early stopping", "Home") != "off":
                                raise RuntimeError(f"{lab}: could not switch early stopping off")
                            spec["train"]["early_stopping"] = None
                        if lab in SMALLEST_BATCH_WHEN_LONG:
                            # Batch 1: a few thousand steps instead of a run over in a second.
                            spec["train"]["batch_size"] = int(slider_to(page, "Batch size", "Home"))
                        spec["train"]["epochs"] = int(slider_to(page, "Epochs", "End"))
                        if slider_value(page, "Epochs") != str(spec["train"]["epochs"]):
                            raise RuntimeError(
                                f"{lab}: the Epochs slider did not stay at its maximum"
                            )
                    # Alternate the two sides so a change in machine load hits both alike.
                    heads.append(headless(lab, spec, args.threads))
                    cpu0 = cpu_seconds_by_kind([proc.pid], CHROMIUM, under=os.getpid())
                    # Far beyond any live run seen (at most 2x headless), but no 15 min lost.
                    budget = 60 + 20 * heads[-1]["wall"]
                    n_train, batch = heads[-1]["n_train"], spec["train"]["batch_size"]
                    lives.append(live(page, lab, n_train, batch, frames, budget, errors))
                    cpu1 = cpu_seconds_by_kind([proc.pid], CHROMIUM, under=os.getpid())
                    for kind in ("server", "browsers", "other"):
                        lives[-1][f"{kind}_cpu"] = cpu1[kind] - cpu0[kind]
                    page.context.close()
                h = heads[0]
                for lv in lives:
                    if (lv["epochs"], lv["steps"]) != (h["epochs"], h["steps"]):
                        raise RuntimeError(
                            f"{lab}: the page ran {lv} but headless {h}; configs differ"
                        )
                h_wall = statistics.median(x["wall"] for x in heads)
                l_wall = statistics.median(x["wall"] for x in lives)
                h_sps = h["samples"] / h_wall
                steadies = [x["steady_sps"] for x in lives if x["steady_sps"] == x["steady_sps"]]
                steady = (
                    statistics.median(steadies) if steadies else float("nan")
                )  # too short to sample
                # live/headless = (share of wall time spent in training steps, live vs headless)
                #               x (speed of a training step, live vs headless)
                wholes = [x["whole_run_sps"] for x in lives if x["whole_run_sps"] > 0]
                whole = statistics.median(wholes) if wholes else float("nan")
                step_speed = statistics.median(
                    x["train_only_sps"] for x in lives
                ) / statistics.median(x["train_only_sps"] for x in heads)
                row = {
                    "lab": lab,
                    "epochs": h["epochs"],
                    "samples": h["samples"],
                    "threads": h["threads"],
                    "headless_s": round(h_wall, 2),
                    "headless_sps": round(h_sps),
                    "live_s": round(l_wall, 2),
                    "live_sps": round(h["samples"] / l_wall),
                    "steady_sps": round(steady, 1),
                    "steady_ratio": round(steady / h_sps, 3),
                    "whole_run_ratio": round(whole / h_sps, 3),
                    "end_to_end_ratio": round(h_wall / l_wall, 3),
                    "step_speed_ratio": round(step_speed, 3),
                    "loop_share_ratio": round(steady / h_sps / step_speed, 3),
                    "readings": [x["readings"] for x in lives],
                    "server_cpu_s": [round(x["server_cpu"], 1) for x in lives],
                    "browser_cpu_s": [round(x["browsers_cpu"], 1) for x in lives],
                    "other_cpu_s": [round(x["other_cpu"], 1) for x in lives],
                    "all_headless_s": [round(x["wall"], 2) for x in heads],
                    "all_live_s": [round(x["wall"], 2) for x in lives],
                }
                rows.append(row)
                print(
                    f"{lab:7s} {row['epochs']:5d} epochs {row['samples']:8,d} samples | headless "
                    f"{row['headless_s']:6.2f} s {row['headless_sps']:7,d}/s | live while training "
                    f"{row['steady_sps']:7,.0f}/s = {row['steady_ratio']:4.0%} | whole run "
                    f"{row['whole_run_ratio']:4.0%} | click to Finished "
                    f"{row['live_s']:6.2f} s = {row['end_to_end_ratio']:4.0%} | steady = loop share "
                    f"{row['loop_share_ratio']:4.0%} x step speed {row['step_speed_ratio']:4.0%}  (headless runs "
                    f"{row['all_headless_s']}, live runs {row['all_live_s']}, readings {row['readings']}; CPU s during "
                    f"the live runs: server {row['server_cpu_s']}, browser {row['browser_cpu_s']}, "
                    f"Playwright and the rest {row['other_cpu_s']})",
                    flush=True,
                )
                if args.json:
                    print(json.dumps(row))
            browser.close()
    finally:
        stop_streamlit(proc)
    load = os.getloadavg()
    print(
        f"torch threads: {rows[0]['threads'] if rows else '?'}; load average at the end: "
        f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    main()
