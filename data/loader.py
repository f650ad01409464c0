"""`load(name, ...)`: the one entry point the labs use to get a Dataset."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np

from .dataset import Dataset
from .errors import CodedError
from .mnist import load_mnist
from .sequences import load_first_symbol, load_marked_sum, load_noisy_wave
from .splits import check_split
from .tabular import load_boston, load_iris
from .xor import load_xor

LOADERS: dict[str, Callable[..., Dataset]] = {
    "xor": load_xor,
    "iris": load_iris,
    "boston": load_boston,
    "mnist": load_mnist,
    "first_symbol": load_first_symbol,
    "noisy_wave": load_noisy_wave,
    "marked_sum": load_marked_sum,
}
DATASET_NAMES = tuple(LOADERS)


def _options_of(fn: Callable[..., Dataset]) -> list[str]:
    return [p for p in inspect.signature(fn).parameters if p not in ("split", "seed")]


def load(name: str, split: str = "recommended", seed: int = 0, **options) -> Dataset:
    """Load a course dataset as a Dataset.

    name: "xor", "iris", "boston" or "mnist".
    split: "recommended" (shuffled, seeded by `seed`; same sizes as the course)
           or "course" (the slides' ordered split; see Dataset.notes).
    options: iris/boston `features`; mnist `n_train`, `n_valid`;
             xor `n_per_corner`, `noise`; the sequence tasks (first_symbol,
             noisy_wave, marked_sum) `seq_len`, `n_sequences`, `noise`.
    Raises ValueError for an unknown name, split or option.
    """
    if name not in LOADERS:
        choices = ", ".join(DATASET_NAMES)
        raise CodedError(
            "unknown_dataset",
            f"Unknown dataset {name!r}; choose one of {choices}.",
            name=name,
            choices=choices,
        )
    check_split(split)
    fn = LOADERS[name]
    allowed = _options_of(fn)
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise ValueError(
            f"{name} does not take option(s) {', '.join(unknown)}; "
            f"it takes: {', '.join(allowed) or 'no options'}."
        )
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise ValueError(f"seed must be a whole number, got {seed!r}.")
    given = {k: (list(v) if isinstance(v, tuple) else v) for k, v in options.items()}
    if "seed" in inspect.signature(fn).parameters:
        options["seed"] = seed
    dataset = fn(split=split, **options)
    dataset.options = given
    return dataset
