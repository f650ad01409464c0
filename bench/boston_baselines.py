"""Boston housing: the lab's default network against linear regression and gradient boosting.

    python bench/boston_baselines.py            # recommended split (seed 0, as in the app), 5 seeds
    python bench/boston_baselines.py --quick    # 2 network seeds, app split only

Every model is fitted on the same training rows, with the same standardization
(fitted on the training rows only), and scored on the same validation rows:
validation RMSE, MAE (both in $1000s) and R². The network is trained headless
with `models.train` on the page's default settings (NETWORK below, checked
against the Boston lab's registry entry by tests/test_baselines.py) over several seeds.
Early stopping picks its epoch on the validation loss, so the network's score
is slightly optimistic; the boosting models use sklearn's defaults untuned.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

import data  # noqa: E402
from data.tabular import boston_raw  # noqa: E402
from models import ModelConfig, TrainConfig, train  # noqa: E402
from models.baselines import regression_baselines  # noqa: E402

# The Boston page's defaults (lessons/registry.py: its ControlSpec, early stopping included).
NETWORK = {"hidden": [64, 64], "activation": "relu"}
TRAINING = {
    "optimizer": "adam",
    "lr": 3e-3,
    "weight_decay": 1e-4,
    "batch_size": 32,
    "epochs": 500,
    "early_stopping": 30,
}
ALL_FEATURES = boston_raw()[2]
WITHOUT_B = [f for f in ALL_FEATURES if f != "B"]


def network_scores(ds, seeds) -> list[dict]:
    """Train the recommended network once per seed: its validation metrics, epochs and seconds."""
    out = []
    for seed in seeds:
        mc = ModelConfig(input_shape=ds.input_shape, n_outputs=1, task="regression", **NETWORK)
        t0 = time.perf_counter()
        run = train(ds, mc, TrainConfig(seed=seed, **TRAINING))
        out.append(
            {**run.evaluate("valid"), "epochs": run.epoch, "seconds": time.perf_counter() - t0}
        )
    return out


def report(title: str, ds, seeds) -> None:
    """Print the network's mean metrics over `seeds`, then each scikit-learn baseline's."""
    nets = network_scores(ds, seeds)
    rmse = [n["rmse"] for n in nets]
    print(
        f"\n{title}: {len(ds.y_train)} train / {len(ds.y_valid)} validation rows, "
        f"{len(ds.feature_names)} features"
    )
    print(f"  {'model':34s} {'RMSE':>6s} {'MAE':>6s} {'R²':>6s}")
    spread = f" (seeds {min(rmse):.2f}-{max(rmse):.2f})" if len(rmse) > 1 else ""
    print(
        f"  {'network 2x64, mean of ' + str(len(seeds)) + ' seeds':34s} {statistics.mean(rmse):6.2f} "
        f"{statistics.mean(n['mae'] for n in nets):6.2f} {statistics.mean(n['r2'] for n in nets):6.3f}"
        f"{spread}; stopped after {[n['epochs'] for n in nets]} epochs, "
        f"{statistics.mean(n['seconds'] for n in nets):.1f} s each"
    )
    for b in regression_baselines(ds, ("linear", "gradient_boosting", "hist_gradient_boosting")):
        m = b.metrics
        print(f"  {b.name:34s} {m['rmse']:6.2f} {m['mae']:6.2f} {m['r2']:6.3f}")


def main() -> None:
    """Compare the network with the baselines on the app's split and on the others."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="2 network seeds, the app's split only")
    ap.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch threads (default 1: fastest for these tiny networks)",
    )
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    seeds = range(2) if args.quick else range(5)
    report(
        "Recommended split, seed 0 (the app's), without B (the app's default)",
        data.load("boston", features=WITHOUT_B),
        seeds,
    )
    if args.quick:
        return
    report("Recommended split, seed 0, all 13 features (the slides')", data.load("boston"), seeds)
    for split_seed in (1, 2):
        report(
            f"Recommended split, seed {split_seed}, without B",
            data.load("boston", seed=split_seed, features=WITHOUT_B),
            seeds,
        )
    report(
        "Course split (first 400 rows train), without B",
        data.load("boston", split="course", features=WITHOUT_B),
        seeds,
    )


if __name__ == "__main__":
    main()
