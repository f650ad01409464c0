"""MNIST from the original gzipped IDX files, parsed once per process.

The arrays are cached and read-only so every Streamlit session shares one
uint8 copy (about 55 MB) instead of each session holding its own.
"""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

import numpy as np

from .dataset import Dataset
from .errors import DataFormatError

DATA_DIR = Path(__file__).resolve().parent
FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "valid": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
IMAGE_MAGIC = 2051
LABEL_MAGIC = 2049
CLASS_NAMES = [str(d) for d in range(10)]


def _read_gz(path: Path) -> bytes:
    try:
        with gzip.open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise DataFormatError(
            "mnist_file_missing",
            f"MNIST file {path.name} is missing from {path.parent}.",
            file=path.name,
            folder=str(path.parent),
        ) from None
    except (OSError, EOFError) as exc:
        raise DataFormatError(
            "mnist_file_not_gzip",
            f"MNIST file {path.name} is not a valid gzip file ({exc}).",
            file=path.name,
            detail=str(exc),
        ) from None


def parse_idx(raw: bytes, magic: int, name: str = "IDX data") -> np.ndarray:
    """Parse an uncompressed IDX buffer into a read-only uint8 array.

    `magic` is 2051 for images (N, rows, cols) and 2049 for labels (N,).
    Raises DataFormatError if the magic number or the sizes do not match.
    """
    ndim = {IMAGE_MAGIC: 3, LABEL_MAGIC: 1}[magic]
    header_len = 4 + 4 * ndim
    if len(raw) < header_len:
        raise DataFormatError(
            "idx_too_short", f"{name}: file is too short to be an IDX file.", name=name
        )
    found = int.from_bytes(raw[:4], "big")
    if found != magic:
        kind = "images" if magic == IMAGE_MAGIC else "labels"
        raise DataFormatError(
            f"idx_magic_{kind}",
            f"{name}: magic number is {found}, expected {magic} ({kind}).",
            name=name,
            found=found,
            expected=magic,
        )
    dims = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    if ndim == 3 and dims[1:] != (28, 28):
        raise DataFormatError(
            "idx_image_size",
            f"{name}: images are {dims[1]}x{dims[2]}, expected 28x28.",
            name=name,
            height=dims[1],
            width=dims[2],
        )
    expected = int(np.prod(dims))
    if len(raw) - header_len != expected:
        raise DataFormatError(
            "idx_size_mismatch",
            f"{name}: header promises {dims[0]} items ({expected} bytes) "
            f"but the file holds {len(raw) - header_len} bytes.",
            name=name,
            items=dims[0],
            expected=expected,
            found=len(raw) - header_len,
        )
    arr = np.frombuffer(raw, dtype=np.uint8, offset=header_len).reshape(dims)
    arr.flags.writeable = False
    return arr


def _load_part(part: str, data_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    img_file, lbl_file = FILES[part]
    images = parse_idx(_read_gz(data_dir / img_file), IMAGE_MAGIC, img_file)
    labels = parse_idx(_read_gz(data_dir / lbl_file), LABEL_MAGIC, lbl_file)
    if len(images) != len(labels):
        raise DataFormatError(
            "mnist_count_mismatch",
            f"MNIST {part}: {len(images)} images but {len(labels)} labels in {lbl_file}.",
            part=part,
            images=len(images),
            labels=len(labels),
            file=lbl_file,
        )
    if labels.size and labels.max() > 9:
        raise DataFormatError(
            "mnist_bad_label",
            f"MNIST {part}: label {labels.max()} found, expected 0-9.",
            part=part,
            label=int(labels.max()),
        )
    # int64 is the trainer's label dtype; converting once here means the
    # sessions share it too.
    y = labels.astype(np.int64)
    y.flags.writeable = False
    return images, y


@functools.lru_cache(maxsize=1)
def mnist_arrays(data_dir: Path = DATA_DIR) -> dict[str, np.ndarray]:
    """The full MNIST arrays, cached per process and read-only.

    Keys: X_train (60000, 28, 28) uint8, y_train (60000,) int64,
    X_valid (10000, 28, 28) uint8, y_valid (10000,) int64.
    """
    X_train, y_train = _load_part("train", data_dir)
    X_valid, y_valid = _load_part("valid", data_dir)
    return {"X_train": X_train, "y_train": y_train, "X_valid": X_valid, "y_valid": y_valid}


@functools.lru_cache(maxsize=1)
def _pixel_names() -> tuple[str, ...]:
    return tuple(f"pixel ({r}, {c})" for r in range(28) for c in range(28))


def pixel_names() -> list[str]:
    """The 784 feature names, row-major: "pixel (row, col)"."""
    return list(_pixel_names())


def _check_count(name: str, value: int | None, limit: int) -> int:
    if value is None:
        return limit
    if (
        isinstance(value, bool)
        or not isinstance(value, int | np.integer)
        or not 1 <= value <= limit
    ):
        raise ValueError(
            f"{name} must be a whole number from 1 to {limit} (or None), got {value!r}."
        )
    return int(value)


def load_mnist(
    split: str = "recommended", n_train: int | None = None, n_valid: int | None = None
) -> Dataset:
    """MNIST 60k train / 10k validation (the official test set), or the first n of each.

    The subsets are slices (views) of the shared read-only arrays: no copies.
    """
    arrays = mnist_arrays()
    n_tr = _check_count("n_train", n_train, len(arrays["X_train"]))
    n_va = _check_count("n_valid", n_valid, len(arrays["X_valid"]))
    return Dataset(
        name="mnist",
        task="multiclass",
        X_train=arrays["X_train"][:n_tr],
        y_train=arrays["y_train"][:n_tr],
        X_valid=arrays["X_valid"][:n_va],
        y_valid=arrays["y_valid"][:n_va],
        feature_names=pixel_names(),
        class_names=list(CLASS_NAMES),
        split=split,
    )
