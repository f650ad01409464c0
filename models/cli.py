"""Headless training from the command line, on the same trainer the labs use.

    python -m models.train --dataset mnist --model mlp --hidden 128 --epochs 5 \
        --batch-size 128 --lr 0.001 --optimizer adam --seed 0 --save out.pth --json

Prints one line per epoch; with --json the last line is one JSON object with
the final validation metrics, the epoch times and train_seconds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import TYPE_CHECKING, Any

from lessons.registry import cli_datasets
from models.callbacks import Callback
from models.config import (
    ACTIVATION_NAMES,
    DEVICES,
    INITS,
    LOSSES,
    MODEL_KINDS,
    OPTIMIZER_NAMES,
    ModelConfig,
    TrainConfig,
    model_config_problem,
)
from models.export_paths import output_problem

# Importing torch takes seconds: --help and argument errors answer without it,
# because the trainer is imported in main, after the arguments parse.
if TYPE_CHECKING:
    from models.trainer import TrainingRun


# The labs shuffle and draw their data with seed 0 whatever the training seed, so
# that changing --seed changes only the initial weights and the batch order; the
# CLI does the same, so a command and a lab's link train the same run.
DATA_SEED = 0
# data.sequences' tasks (data/ imports numpy only, but --help stays free of it).
SEQUENCE_DATASETS = ("first_symbol", "noisy_wave", "marked_sum")


def _int_list(text: str) -> list[int]:
    try:
        return [int(p) for p in text.replace(",", " ").split()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected whole numbers like 128 or 128,64, got {text!r}"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    """The CLI's options: every control the labs offer."""
    p = argparse.ArgumentParser(prog="python -m models.train", description=__doc__.splitlines()[0])
    d = p.add_argument_group("data")
    d.add_argument("--dataset", required=True, choices=cli_datasets())
    d.add_argument("--split", default="recommended", choices=["recommended", "course"])
    d.add_argument(
        "--features",
        type=lambda s: [f.strip() for f in s.split(",") if f.strip()],
        help="comma-separated feature names to keep (iris, boston)",
    )
    d.add_argument(
        "--n-per-corner",
        type=int,
        default=0,
        help="xor: noisy points per corner (0 = the 4 points)",
    )
    d.add_argument(
        "--noise",
        type=float,
        default=None,
        help="noise standard deviation: xor (default 0), sequences (default: the task's own)",
    )
    d.add_argument("--seq-len", type=int, default=30, help="sequences: steps T of every sequence")
    d.add_argument("--n-sequences", type=int, default=2000, help="sequences: training sequences")
    d.add_argument("--n-train", type=int, help="mnist, boston: use only the first N training rows")
    d.add_argument("--n-valid", type=int, help="mnist: use only the first N validation images")
    d.add_argument(
        "--train-csv",
        metavar="PATH",
        help="mnist: train on the slides' CSV format instead (label + 784 pixels per row)",
    )
    d.add_argument("--valid-csv", metavar="PATH", help="mnist: validation CSV for --train-csv")
    m = p.add_argument_group("model")
    m.add_argument("--model", default="mlp", choices=MODEL_KINDS)
    m.add_argument(
        "--hidden", type=_int_list, default=[64], help="hidden sizes, e.g. 128 or 500,500"
    )
    m.add_argument("--activation", default="relu", choices=ACTIVATION_NAMES)
    m.add_argument("--batchnorm", action="store_true")
    m.add_argument("--dropout", type=float, default=0.0)
    m.add_argument("--init", default="default", choices=INITS)
    m.add_argument(
        "--conv-channels", type=_int_list, default=[16, 32], help="cnn: channels per conv block"
    )
    m.add_argument("--kernel-size", type=int, default=3)
    m.add_argument(
        "--forget-bias",
        type=float,
        default=0.0,
        help="lstm: added to the forget gate's bias at initialization (PyTorch's is about 0)",
    )
    t = p.add_argument_group("training")
    t.add_argument("--optimizer", default="adam", choices=OPTIMIZER_NAMES)
    t.add_argument("--lr", type=float, default=1e-3)
    t.add_argument("--weight-decay", type=float, default=0.0)
    t.add_argument("--batch-size", type=int, default=32)
    t.add_argument("--epochs", type=int, default=10)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--loss", default="auto", choices=LOSSES)
    t.add_argument("--early-stopping", type=int, metavar="PATIENCE")
    t.add_argument("--device", default="cpu", choices=DEVICES)
    t.add_argument(
        "--clip-grad",
        type=float,
        default=0.0,
        metavar="MAX_NORM",
        help="clip the gradient's norm to MAX_NORM before each step (0 = off)",
    )
    t.add_argument(
        "--augment",
        action="store_true",
        help="mnist: random stroke thickness, scale, rotation and shift of each training image",
    )
    o = p.add_argument_group("output")
    o.add_argument(
        "--save",
        metavar="PATH",
        help="write the trained model (.pth: weights + JSON); its folder must exist",
    )
    o.add_argument("--json", action="store_true", help="end with one JSON line of results")
    return p


class _PrintEpochs(Callback):
    def on_epoch_end(self, run: TrainingRun, row: dict[str, Any]) -> None:
        metrics = "  ".join(
            f"{k}={v:.4f}"
            for k, v in row.items()
            if k.startswith("valid_") or k.startswith("train_")
        )
        print(
            f"epoch {row['epoch']:>3}/{run.train_config.epochs}  {metrics}  {row['seconds']:.2f}s",
            flush=True,
        )


def _load_dataset(args: argparse.Namespace) -> Any:
    import data  # imported here so `--help` stays instant

    if args.train_csv:
        if args.dataset != "mnist":
            raise ValueError(
                "--train-csv is for --dataset mnist (the slides' mnist_train.csv format)."
            )
        return data.load_mnist_csv(args.train_csv, args.valid_csv, seed=DATA_SEED)
    options: dict[str, Any] = {}
    # An empty --features ('') goes to data.load, which refuses it, rather than meaning "all".
    if args.dataset in ("iris", "boston") and args.features is not None:
        options["features"] = args.features
    if args.dataset == "xor":
        options.update(n_per_corner=args.n_per_corner, noise=args.noise or 0.0)
    if args.dataset in SEQUENCE_DATASETS:  # noisy_wave's own noise is 0.1, as in the app
        options.update(seq_len=args.seq_len, n_sequences=args.n_sequences)
        options.update({} if args.noise is None else {"noise": args.noise})
    if args.dataset == "mnist":
        options.update(n_train=args.n_train, n_valid=args.n_valid)
    if args.dataset == "boston" and args.n_train is not None:
        options["n_train"] = args.n_train
    return data.load(args.dataset, split=args.split, seed=DATA_SEED, **options)


def summary_json(run: TrainingRun, load_seconds: float) -> dict[str, Any]:
    """The --json result: the kept weights' validation metrics, epoch times and timings.

    The kept weights are the best epoch's after early stopping restored them, so their
    metrics are measured again rather than read from the last epoch's row.
    """
    result: dict[str, Any] = {f"valid_{k}": v for k, v in run.evaluate("valid").items()}
    result.update(
        status=run.status,
        stop_reason=run.stop_reason,
        epochs=run.epoch,
        epoch_seconds=[round(s, 4) for s in run.history.column("seconds")],
        train_seconds=round(run.train_seconds, 4),
        load_seconds=round(load_seconds, 4),
        n_params=run.n_params,
        device=str(run.device),
    )
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the process exit code (0 ok, 1 diverged, 2 bad input)."""
    args = build_parser().parse_args(argv)
    problem = model_config_problem(args.model, args.init, args.dropout, tuple(args.hidden))
    if problem is not None:  # answered before torch loads, like argparse's own errors
        print(f"error: {problem[1]}", file=sys.stderr)
        return 2
    # The links' limits hold here too: an lr of 1e30 would only train into NaN and be
    # misread as a data problem. models.flags loads numpy (for data's names), never torch.
    from models.flags import FLAGS, out_of_limits

    beyond = out_of_limits({name: getattr(args, name.replace("-", "_"), None) for name in FLAGS})
    if beyond is not None:
        print(f"error: {beyond}", file=sys.stderr)
        return 2
    # A --save that cannot be written is found now, not after the training it would lose.
    unsaveable = args.save and output_problem(args.save, "--save", "model.pth")
    if unsaveable:
        print(f"error: {unsaveable}", file=sys.stderr)
        return 2
    from models.persistence import save_model  # torch loads only once the arguments are good
    from models.trainer import TrainingRun

    t0 = time.perf_counter()
    try:
        ds = _load_dataset(args)
        mc = ModelConfig(
            input_shape=ds.input_shape,
            n_outputs=ds.n_outputs,
            task=ds.task,
            kind=args.model,
            hidden=args.hidden,
            activation=args.activation,
            batchnorm=args.batchnorm,
            dropout=args.dropout,
            init=args.init,
            conv_channels=args.conv_channels,
            kernel_size=args.kernel_size,
            forget_bias=args.forget_bias,
        )
        tc = TrainConfig(
            optimizer=args.optimizer,
            lr=args.lr,
            weight_decay=args.weight_decay,
            batch_size=args.batch_size,
            epochs=args.epochs,
            seed=args.seed,
            loss=args.loss,
            early_stopping=args.early_stopping,
            device=args.device,
            clip_grad=args.clip_grad,
            augment=args.augment,
        )
        load_seconds = time.perf_counter() - t0
        run = TrainingRun(ds, mc, tc, callbacks=[_PrintEpochs()])
    except (ValueError, OSError) as exc:  # DataFormatError is a ValueError
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if run.device_note:
        print(run.device_note)
    run.advance()
    if run.stop_reason:
        print(run.stop_reason)
    code = 1 if run.status == "diverged" else 0
    if args.save:
        try:
            save_model(run.model, args.save, train_config=tc, dataset=ds, history=run.history)
            print(f"saved {args.save}")
        except (OSError, RuntimeError) as exc:  # checked above, but the disk can still fail
            print(f"error: could not save {args.save}: {exc}", file=sys.stderr)
            code = 2
    if args.json:
        print(json.dumps(summary_json(run, load_seconds)))
    return code
