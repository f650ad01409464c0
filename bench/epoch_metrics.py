"""What the per-epoch validation metrics cost a headless run: numpy (models.metrics) against sklearn.

    python bench/epoch_metrics.py [--repeats 5] [--labs boston iris xor]

For each lab's bench settings (bench/live_labs.py, one torch thread), trains a whole run
headless with the trainer's metrics as shipped (numpy reductions) and with scikit-learn's
functions in their place, alternating, `--repeats` times each after one unmeasured warm-up
run of each. Prints one JSON line a lab: the median seconds of each and their ratio
(sklearn / numpy: how much longer the run took with sklearn's metrics), and each run's
seconds for the spread. Both sides train the same epochs: the seed fixes the run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

import sklearn  # noqa: E402
import torch  # noqa: E402
from sklearn import metrics as skm  # noqa: E402

import data  # noqa: E402
import models.trainer as trainer  # noqa: E402
from bench.live_labs import LABS  # noqa: E402
from models import ModelConfig, TrainConfig  # noqa: E402
from models.metrics import task_metrics  # noqa: E402


def sklearn_task_metrics(task: str, y_true, y_pred) -> dict[str, float]:
    """The per-epoch metrics as scikit-learn computes them (parameter validation skipped)."""
    with sklearn.config_context(skip_parameter_validation=True):
        if task != "regression":
            return {"accuracy": float(skm.accuracy_score(y_true, y_pred))}
        return {
            "rmse": float(skm.root_mean_squared_error(y_true, y_pred)),
            "mae": float(skm.mean_absolute_error(y_true, y_pred)),
            "r2": float(skm.r2_score(y_true, y_pred)),
        }


def timed_run(lab: str, ds, metrics) -> tuple[float, int]:
    """Seconds for one headless run of `lab` with `metrics` as the trainer's task_metrics."""
    spec = LABS[lab]
    mc = ModelConfig(
        input_shape=ds.input_shape, n_outputs=ds.n_outputs, task=ds.task, **spec["model"]
    )
    trainer.task_metrics = metrics
    try:
        start = time.perf_counter()
        run = trainer.train(ds, mc, TrainConfig(**spec["train"]))
        return time.perf_counter() - start, run.epoch
    finally:
        trainer.task_metrics = task_metrics


def main(argv: list[str] | None = None) -> None:
    """Alternate numpy and sklearn runs per lab; print a JSON line each."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--labs", nargs="+", default=["boston", "iris", "xor"])
    args = p.parse_args(argv)
    torch.set_num_threads(1)
    for lab in args.labs:
        spec = LABS[lab]
        ds = data.load(spec.get("dataset", lab), **spec["load"])
        sides = {"numpy": task_metrics, "sklearn": sklearn_task_metrics}
        for metrics in sides.values():
            timed_run(lab, ds, metrics)  # warm-up: first-call costs fall on neither side
        seconds: dict[str, list[float]] = {name: [] for name in sides}
        epochs = set()
        for _ in range(args.repeats):
            for name, metrics in sides.items():
                s, e = timed_run(lab, ds, metrics)
                seconds[name].append(round(s, 4))
                epochs.add(e)
        med = {name: statistics.median(v) for name, v in seconds.items()}
        print(
            json.dumps(
                {
                    "lab": lab,
                    "epochs": sorted(epochs),
                    "numpy_s": round(med["numpy"], 4),
                    "sklearn_s": round(med["sklearn"], 4),
                    "sklearn_over_numpy": round(med["sklearn"] / med["numpy"], 3),
                    "runs_s": seconds,
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
