"""`python -m data`: load every dataset once and print one line each (headless check)."""

from __future__ import annotations

import argparse
import sys
import time

from .loader import DATASET_NAMES, load


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


def main(argv: list[str] | None = None) -> int:
    """Print one line per dataset; return 1 if any failed to load."""
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
