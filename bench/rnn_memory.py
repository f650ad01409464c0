"""How far back can each recurrent cell remember? "Remember the first symbol" at four lengths.

For each cell (plain RNN, LSTM with PyTorch's forget-gate bias 0, LSTM with
bias 3, GRU), each length T and each seed, this trains a fresh network on the
same trainer the lab uses, for a fixed budget of epochs, and records:
- the validation accuracy it reaches (chance is 50%);
- at initialization, |∂L/∂h₁| / |∂L/∂h_T| on one batch (lessons.through_time).

    nice -n 10 python bench/rnn_memory.py            # the full table (~10-20 min on 2 busy cores)
    nice -n 10 python bench/rnn_memory.py --quick    # 1 seed, T = 10 and 30: a smoke run

Prints one line per run and the table (median and range over seeds), and
writes it to lessons/rnn_memory.json, which the RNN lab's page reads, so the
page states what was measured here and not what textbooks claim.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import data  # noqa: E402
from lessons.through_time import early_to_late_ratio, gradient_through_time  # noqa: E402
from models import ModelConfig, TrainConfig, TrainingRun  # noqa: E402

OUT = ROOT / "lessons" / "rnn_memory.json"
# (label, kind, forget-gate bias)
CELLS = (
    ("rnn", "rnn", 0.0),
    ("lstm_bias0", "lstm", 0.0),
    ("lstm_bias3", "lstm", 3.0),
    ("gru", "gru", 0.0),
)
SETTINGS = {
    "n_sequences": 1600,
    "hidden": 32,
    "optimizer": "adam",
    "lr": 0.01,
    "batch_size": 64,
    "epochs": 10,
    "ratio_batch": 256,
}


def one_run(kind: str, bias: float, seq_len: int, seed: int) -> dict:
    """Train one network; return its final validation accuracy, its ratio at init, its seconds."""
    ds = data.load("first_symbol", seq_len=seq_len, n_sequences=SETTINGS["n_sequences"], seed=seed)
    mc = ModelConfig(
        input_shape=ds.input_shape,
        n_outputs=1,
        task="binary",
        kind=kind,
        hidden=(SETTINGS["hidden"],),
        forget_bias=bias,
    )
    tc = TrainConfig(
        optimizer=SETTINGS["optimizer"],
        lr=SETTINGS["lr"],
        batch_size=SETTINGS["batch_size"],
        epochs=SETTINGS["epochs"],
        seed=seed,
    )
    run = TrainingRun(ds, mc, tc)
    n = SETTINGS["ratio_batch"]
    X, y = torch.from_numpy(ds.X_valid[:n]), torch.from_numpy(ds.y_valid[:n])
    ratio = early_to_late_ratio(gradient_through_time(run.model, X, y))
    t0 = time.perf_counter()
    run.advance()
    return {
        "accuracy": run.history.latest()["valid_accuracy"],
        "ratio": ratio,
        "seconds": time.perf_counter() - t0,
    }


def summarize(values: list[float]) -> dict:
    """Median, min and max of one cell's values over the seeds."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def main() -> None:
    """Run the grid, print the table and write lessons/rnn_memory.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 seed, T = 10 and 30 (no JSON)")
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)  # tiny steps: one thread is fastest (models/threads.py)
    lengths = (10, 30) if args.quick else (10, 30, 60, 100)
    seeds = range(1 if args.quick else args.seeds)
    started = time.perf_counter()
    table: dict[str, dict[str, dict]] = {}
    for seq_len in lengths:
        for label, kind, bias in CELLS:
            runs = [one_run(kind, bias, seq_len, seed) for seed in seeds]
            for seed, r in zip(seeds, runs, strict=True):
                print(
                    f"T={seq_len:<4} {label:<11} seed {seed}: accuracy {r['accuracy']:.3f}  "
                    f"ratio at init {r['ratio']:.1e}  {r['seconds']:.1f} s",
                    flush=True,
                )
            table.setdefault(label, {})[str(seq_len)] = {
                "accuracy": summarize([r["accuracy"] for r in runs]),
                "ratio": summarize([r["ratio"] for r in runs]),
                "accuracies": [round(r["accuracy"], 4) for r in runs],
            }
    minutes = (time.perf_counter() - started) / 60
    print(f"\nvalidation accuracy after {SETTINGS['epochs']} epochs, median [min-max] over seeds")
    print("cell        " + "".join(f"T={t:<18}" for t in lengths))
    for label, _, _ in CELLS:
        cells = table[label]
        row = "".join(
            f"{c['accuracy']['median']:.0%} [{c['accuracy']['min']:.0%}-{c['accuracy']['max']:.0%}]".ljust(
                20
            )
            for c in (cells[str(t)] for t in lengths)
        )
        print(f"{label:<12}{row}")
    print("\n|dL/dh_1| / |dL/dh_T| at initialization, median [min-max] over seeds")
    for label, _, _ in CELLS:
        cells = table[label]
        row = "".join(
            f"{c['ratio']['median']:.0e} [{c['ratio']['min']:.0e}-{c['ratio']['max']:.0e}]".ljust(
                20
            )
            for c in (cells[str(t)] for t in lengths)
        )
        print(f"{label:<12}{row}")
    print(f"\n{len(seeds)} seeds, {minutes:.1f} minutes")
    if not args.quick:
        result = {
            "settings": {**SETTINGS, "seeds": len(seeds), "lengths": list(lengths)},
            "minutes": round(minutes, 1),
            "cells": table,
        }
        OUT.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
