"""`python -m data`: load every dataset once and print one line each (headless check).

`python -m data export NAME DIR [--split ...] [--seed ...] [options]` writes a
built-in dataset as the CSV files an exported script reads (data/export.py).
"""

from __future__ import annotations

import argparse
import sys
import time

from .loader import DATASET_NAMES, load
from .sequences import SEQUENCE_TASKS

# The course exercises' data and the RNN lab's sequence tasks.
EXPORTABLE = ("xor", "iris", "boston", "mnist", *SEQUENCE_TASKS)


def describe(name: str, split: str, seed: int) -> str:
    """Load one dataset and describe it in one line, with its load time."""
    start = time.perf_counter()
    ds = load(name, split=split, seed=seed)
    elapsed = time.perf_counter() - start
    classes = ",".join(ds.class_names) if ds.class_names else "-"
    return (
        f"{name:<7} {ds.task:<10} train X{tuple(ds.X_train.shape)} {ds.X_train.dtype} "
        f"y{tuple(ds.y_train.shape)} {ds.y_train.dtype} | valid X{tuple(ds.X_valid.shape)} "
        f"| classes {classes} | {elapsed * 1000:.0f} ms"
    )


def _export_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m data export",
        description="Write a built-in dataset as CSV files: mnist_train.csv + mnist_valid.csv "
        "(label then 784 pixels) or train.csv + valid.csv (header row, target column last; "
        "a sequence task: one sequence per row).",
    )
    parser.add_argument("name", choices=list(EXPORTABLE))
    parser.add_argument(
        "dir", help="folder to write the CSV files into (made if missing; its parent must exist)"
    )
    parser.add_argument("--split", default="recommended", choices=["recommended", "course"])
    parser.add_argument("--seed", type=int, default=0, help="the split's seed (the app uses 0)")
    parser.add_argument(
        "--features",
        type=lambda s: [f.strip() for f in s.split(",") if f.strip()],
        help="iris, boston: comma-separated feature names to keep",
    )
    parser.add_argument("--n-per-corner", type=int, default=0, help="xor: points per corner")
    parser.add_argument(
        "--noise",
        type=float,
        help="xor (default 0), sequence tasks (default: the task's own): noise standard deviation",
    )
    parser.add_argument("--seq-len", type=int, help="sequence tasks: steps T (default 30)")
    parser.add_argument(
        "--n-sequences", type=int, help="sequence tasks: training sequences (default 2000)"
    )
    parser.add_argument("--n-train", type=int, help="mnist, boston: only the first N training rows")
    parser.add_argument("--n-valid", type=int, help="mnist: only the first N validation images")
    return parser


def export_main(argv: list[str]) -> int:
    """`python -m data export NAME DIR ...`: write the CSV files; 2 on bad input."""
    from .export import folder_problem, write_csv_files  # only this subcommand needs it

    args = _export_parser().parse_args(argv)
    # A folder that cannot be written is found before MNIST's seconds of loading.
    problem = folder_problem(args.dir)
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    options: dict = {}
    # An empty --features ('') goes to load, which refuses it, rather than meaning "all".
    if args.name in ("iris", "boston") and args.features is not None:
        options["features"] = args.features
    if args.name == "xor":
        options.update(n_per_corner=args.n_per_corner, noise=args.noise or 0.0)
    if args.name in SEQUENCE_TASKS:  # only what was given: noisy_wave's own noise is 0.1
        given = {"seq_len": args.seq_len, "n_sequences": args.n_sequences, "noise": args.noise}
        options.update({k: v for k, v in given.items() if v is not None})
    if args.name == "mnist":
        options.update(n_train=args.n_train, n_valid=args.n_valid)
    if args.name == "boston" and args.n_train is not None:
        options["n_train"] = args.n_train
    try:
        ds = load(args.name, split=args.split, seed=args.seed, **options)
        paths = write_csv_files(ds, args.dir)
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in paths:
        print(f"wrote {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Print one line per dataset (1 if any failed to load), or run the `export` subcommand."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["export"]:
        return export_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m data", description=__doc__)
    parser.add_argument("names", nargs="*", default=list(DATASET_NAMES), help="datasets to load")
    parser.add_argument("--split", default="recommended", choices=["recommended", "course"])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    failed = False
    for name in args.names:
        try:
            print(describe(name, args.split, args.seed))
        except ValueError as exc:  # DataFormatError included
            print(f"{name:<7} FAILED: {exc}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
