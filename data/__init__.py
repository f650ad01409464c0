"""NN Lab datasets: one loader API, CSV import and digit preprocessing.

import data
ds = data.load("iris", split="course")
ds = data.load_mnist_csv(uploaded_train, uploaded_valid)
ds = data.load_tabular_csv(uploaded, target="price")
x = data.canvas_to_mnist(canvas_rgba)   # from data.digits
"""

from .csv_mnist import MNIST_CSV_MAX_BYTES, load_mnist_csv, parse_mnist_csv
from .csv_tabular import TABULAR_CSV_MAX_BYTES, load_tabular_csv
from .dataset import Dataset
from .errors import BlankDrawingError, CodedError, DataFormatError
from .loader import DATASET_NAMES, load

__all__ = [
    "DATASET_NAMES",
    "MNIST_CSV_MAX_BYTES",
    "TABULAR_CSV_MAX_BYTES",
    "BlankDrawingError",
    "CodedError",
    "DigitSteps",
    "DataFormatError",
    "Dataset",
    "canvas_to_mnist",
    "load",
    "load_mnist_csv",
    "load_tabular_csv",
    "parse_mnist_csv",
    "preprocess_steps",
]

_DIGITS = ("DigitSteps", "canvas_to_mnist", "preprocess_steps")


def __getattr__(name: str):
    # data.digits pulls in PIL and scipy.ndimage; import it only when a page draws.
    if name in _DIGITS:
        from . import digits

        return getattr(digits, name)
    raise AttributeError(f"module 'data' has no attribute {name!r}")
