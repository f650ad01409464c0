"""Several live runs training at once in one process: what the thread policy gives each.

    python bench/concurrent_runs.py                      # K = 1, 2, 4; 15 s each; policy and 2 threads
    python bench/concurrent_runs.py --ks 1 2 --seconds 10
    python bench/concurrent_runs.py --ks 1 2 --data boston --train-in workers --modes policy

For each K it starts K `ui.live_run.LiveRun` objects, as K browser sessions of
one server would, each training MNIST's Fast MLP (784-128-10 ReLU, Adam 1e-3,
batch 64) on its own `TrainingRun`, and lets them train for a fixed wall time.
It prints one JSON line per K: samples/s in all and per run, the total against
K = 1, and the intra-op threads each trainer thread was given.

Twice: with the policy (`models.threads.live_threads`, 1 thread a run on 2
cores), then with every run forced to 2 threads, to show what the policy
avoids. No browser and no server: this measures the trainers alone.

Each K gets K training slots (models.admission), so all K train at once.
`--train-in threads` (the default) trains them on the server's threads,
`--train-in workers` in worker processes (models/train_process.py).
`--data boston` trains Boston's 400 rows instead of MNIST: a small model,
whose steps are mostly Python and so hold the GIL.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: `python bench/concurrent_runs.py`

import data  # noqa: E402
import ui.live_run as live_run  # noqa: E402
from models import ModelConfig, TrainConfig, TrainingRun  # noqa: E402
from models.admission import Admission  # noqa: E402
from models.threads import live_threads  # noqa: E402
from models.train_process import PROCESS_ENV  # noqa: E402

WARMUP_SECONDS = 3.0  # not counted: first steps, buffers, OpenMP pools starting
KEEP_ALIVE_SECONDS = 0.5  # like the page's redraws: the idle stop (30 s) never fires


def read_samples(lives: list[live_run.LiveRun]) -> list[int]:
    """Samples each run has trained on, read between two of its slices."""
    counts = []
    for live in lives:
        with live.borrow() as run:
            counts.append(run.samples_seen)
    return counts


def measure(ds, k: int, seconds: float, policy) -> dict:
    """Train k runs at once for `seconds` (after a warm-up) with `policy` choosing their threads."""
    given: dict[str, int] = {}  # trainer thread name -> threads it was last given

    def recording(runs_training: int, cores: int | None = None) -> int:
        n = policy(runs_training, cores)
        given[threading.current_thread().name] = n
        return n

    # LiveRun._loop looks the name up in its module at every slice, so this reaches every trainer.
    live_run.live_threads = recording
    admission, live_run.ADMISSION = live_run.ADMISSION, Admission(capacity=k, turn_seconds=None)
    mc = ModelConfig(
        input_shape=ds.input_shape, n_outputs=ds.n_outputs, task=ds.task, hidden=(128,)
    )
    lives = []
    try:
        for i in range(k):
            live = live_run.LiveRun(f"bench{k}-{i}")
            # Many epochs: no run may finish inside the window (K = 1 trains ~80 epochs of
            # MNIST's 20,000 and ~650 a second of Boston's 400 rows).
            tc = TrainConfig(optimizer="adam", lr=1e-3, batch_size=64, epochs=10**6, seed=i)
            live.start(TrainingRun(ds, mc, tc))
            live.keep_training()
            lives.append(live)
        load = os.getloadavg()[0]
        time.sleep(WARMUP_SECONDS)
        before, t0 = read_samples(lives), time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            time.sleep(KEEP_ALIVE_SECONDS)
            for live in lives:
                live.keep_training()
        after, wall = read_samples(lives), time.perf_counter() - t0
        errors = [repr(live.error) for live in lives if live.error is not None]
    finally:
        for live in lives:
            live.stop()
        live_run.live_threads = live_threads
        live_run.ADMISSION = admission
    per_run = [(b - a) / wall for a, b in zip(before, after, strict=True)]
    return {
        "k": k,
        "total_sps": round(sum(per_run)),
        "per_run_sps": [round(x) for x in per_run],
        "threads": sorted(given.values()),
        "seconds": round(wall, 2),
        "load_before": round(load, 2),
        "errors": errors,
    }


def main() -> None:
    """Measure each K with the policy and with two threads a run; one JSON line each."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ks", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--data", choices=["mnist", "boston"], default="mnist")
    ap.add_argument("--train-in", choices=["threads", "workers"], default="threads")
    ap.add_argument("--modes", nargs="+", choices=["policy", "two_threads"])
    args = ap.parse_args()
    os.environ[PROCESS_ENV] = "1" if args.train_in == "workers" else "0"
    # 20,000 training images: the runs share the cached uint8 arrays like sessions do;
    # a small validation set keeps each epoch's end short.
    ds = (
        data.load("mnist", n_train=20_000, n_valid=1_000)
        if args.data == "mnist"
        else data.load("boston")
    )
    modes = {"policy": live_threads, "two_threads": lambda runs, cores=None: 2}
    for mode, policy in modes.items():
        if args.modes and mode not in args.modes:
            continue
        base = None
        for k in args.ks:
            row = {
                "mode": mode,
                "data": args.data,
                "train_in": args.train_in,
                **measure(ds, k, args.seconds, policy),
            }
            if k == 1:
                base = row["total_sps"]
            row["total_vs_k1"] = round(row["total_sps"] / base, 2) if base else None
            print(json.dumps(row), flush=True)
    print(f"nproc {os.cpu_count()}; load average at the end {os.getloadavg()[0]:.2f}")
    live_run.WORKERS.stop()


if __name__ == "__main__":
    main()
