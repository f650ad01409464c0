"""NN Lab datasets: one loader API, CSV import and digit preprocessing.

    import data
    ds = data.load("iris", split="course")
"""

from .dataset import Dataset
from .errors import BlankDrawingError, DataFormatError
from .loader import DATASET_NAMES, load

__all__ = ["DATASET_NAMES", "BlankDrawingError", "DataFormatError", "Dataset", "load"]
