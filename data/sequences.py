"""Seeded sequence tasks that need memory, for the recurrent-network lab (no files).

Every task returns a Dataset whose X has shape (n, T, features): n sequences
of T steps. Three tasks, after deck 003's 「有記憶的神經網路」:

- "first_symbol": T random bits; the target is the first one (binary). The
  answer sits at the very start, so the network must carry it T steps.
- "noisy_wave": a window of a noisy sine wave; the target is the wave's next
  clean value (regression). Periods vary, so the window itself says which wave.
- "marked_sum": the adding problem. Each step is (value, marker); the target
  is the sum of the two marked values (regression), one marked in each half.

`noise` is the std of Gaussian noise added to the inputs (never to the
targets), so a perfect model's error stays measurable against the truth.
"""

from __future__ import annotations

import numpy as np

from .dataset import Dataset
from .errors import CodedError

SEQUENCE_TASKS = ("first_symbol", "noisy_wave", "marked_sum")
MAX_SEQ_LEN = 500
MAX_SEQUENCES = 50_000
# Wave periods in steps: short enough that a window of T >= 10 shows most of one.
WAVE_PERIODS = (12.0, 30.0)


def check_sequence_options(seq_len: int, n_sequences: int, noise: float) -> tuple[int, int, float]:
    """The options as (int, int, float), or a CodedError naming the bad one."""
    if isinstance(seq_len, bool) or not isinstance(seq_len, int | np.integer):
        seq_len = -1
    if not 2 <= seq_len <= MAX_SEQ_LEN:
        raise CodedError(
            "seq_len_range",
            f"The sequence length must be a whole number from 2 to {MAX_SEQ_LEN}, got {seq_len}.",
            value=seq_len,
            limit=MAX_SEQ_LEN,
        )
    if isinstance(n_sequences, bool) or not isinstance(n_sequences, int | np.integer):
        n_sequences = -1
    if not 4 <= n_sequences <= MAX_SEQUENCES:
        raise CodedError(
            "n_sequences_range",
            f"The number of sequences must be a whole number from 4 to {MAX_SEQUENCES}, "
            f"got {n_sequences}.",
            value=n_sequences,
            limit=MAX_SEQUENCES,
        )
    try:
        noise = float(noise)
    except (TypeError, ValueError):
        noise = float("nan")
    if not np.isfinite(noise) or noise < 0:
        raise CodedError(
            "noise_negative", f"The noise must be a number of at least 0, got {noise}.", value=noise
        )
    return int(seq_len), int(n_sequences), noise


def _first_symbol(n: int, seq_len: int, noise: float, rng: np.random.Generator):
    bits = rng.integers(0, 2, size=(n, seq_len)).astype(np.float32)
    X = bits + rng.normal(0.0, noise, size=bits.shape) if noise else bits
    return X[..., None].astype(np.float32), bits[:, 0].astype(np.int64)


def wave(phase: np.ndarray, period: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """The clean wave sin(2π t / period + phase) at integer `steps`, one row per sequence."""
    return np.sin(2 * np.pi * steps[None, :] / period[:, None] + phase[:, None])


def _noisy_wave(n: int, seq_len: int, noise: float, rng: np.random.Generator):
    phase = rng.uniform(0, 2 * np.pi, size=n)
    period = rng.uniform(*WAVE_PERIODS, size=n)
    clean = wave(phase, period, np.arange(seq_len + 1))
    X = clean[:, :seq_len] + rng.normal(0.0, noise, size=(n, seq_len)) if noise else clean[:, :-1]
    return X[..., None].astype(np.float32), clean[:, seq_len].astype(np.float32)


def _marked_sum(n: int, seq_len: int, noise: float, rng: np.random.Generator):
    values = rng.uniform(0.0, 1.0, size=(n, seq_len))
    half = max(1, seq_len // 2)
    first = rng.integers(0, half, size=n)
    second = rng.integers(half, seq_len, size=n)
    markers = np.zeros((n, seq_len))
    rows = np.arange(n)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    y = values[rows, first] + values[rows, second]
    if noise:
        values = values + rng.normal(0.0, noise, size=values.shape)
    X = np.stack([values, markers], axis=-1)
    return X.astype(np.float32), y.astype(np.float32)


_TASKS = {
    "first_symbol": ("binary", ["x"], _first_symbol),
    "noisy_wave": ("regression", ["x"], _noisy_wave),
    "marked_sum": ("regression", ["value", "marker"], _marked_sum),
}


def load_sequences(
    task: str,
    split: str = "recommended",
    seed: int = 0,
    seq_len: int = 30,
    n_sequences: int = 2000,
    noise: float = 0.0,
) -> Dataset:
    """`n_sequences` training and n_sequences // 4 validation sequences of task `task`.

    Training and validation come from separate seed streams, so they are
    independent; the same arguments always give the same arrays.
    """
    seq_len, n_sequences, noise = check_sequence_options(seq_len, n_sequences, noise)
    task_kind, features, make = _TASKS[task]
    X_train, y_train = make(n_sequences, seq_len, noise, np.random.default_rng([seed, 0]))
    X_valid, y_valid = make(
        max(1, n_sequences // 4), seq_len, noise, np.random.default_rng([seed, 1])
    )
    return Dataset(
        name=task,
        task=task_kind,
        X_train=X_train,
        y_train=y_train,
        X_valid=X_valid,
        y_valid=y_valid,
        feature_names=features,
        class_names=["0", "1"] if task_kind == "binary" else None,
        split=split,
    )


def _task_loader(task: str, default_noise: float, doc: str):
    """load_sequences for one task, with its own default noise, under the name load_<task>.

    data.loader reads the options a dataset takes from its loader's signature,
    so each task keeps a real function with the full signature.
    """

    def _load(
        split: str = "recommended",
        seed: int = 0,
        seq_len: int = 30,
        n_sequences: int = 2000,
        noise: float = default_noise,
    ) -> Dataset:
        return load_sequences(task, split, seed, seq_len, n_sequences, noise)

    _load.__name__ = _load.__qualname__ = f"load_{task}"
    _load.__doc__ = doc
    return _load


load_first_symbol = _task_loader(
    "first_symbol",
    0.0,
    "Remember the first symbol: T random bits, the target is the first (binary).",
)
load_noisy_wave = _task_loader(
    "noisy_wave",
    0.1,
    "Next value of a noisy wave: T noisy steps in, the next clean value out (regression).",
)
load_marked_sum = _task_loader(
    "marked_sum",
    0.0,
    "Adding the two marked numbers: (value, marker) steps in, their sum out (regression).",
)
