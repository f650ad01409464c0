"""Where the MNIST lab's data comes from: the built-in 60k/10k set or the slides' CSV files.

The built-in set is loaded once per server process and shared read-only
(ui.datasets.load_dataset). Uploaded CSVs belong to one student, so their
parsed arrays live in that session's state, parsed once per upload, not once
per rerun.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

import data
from data import DataFormatError, Dataset
from ui.controls import RESTART
from ui.datasets import load_dataset
from ui.language import error_text, t, translator
from ui.mnist.session import mnist_session
from ui.state import remember
from ui.subset import subset_ui
from ui.uploader import file_uploader

# The slides' mnist_train.csv (60,000 rows) is about 105 MB; 120 MB leaves room
# for a header and Windows line ends while refusing anything far bigger.
MAX_CSV_MB = 120
SOURCES = ("builtin", "csv")  # option values; shown as mnist.data.sources.<value>


@dataclass(frozen=True)
class UploadFailure:
    """What the page needs of a failed upload to word it again: no traceback, no file.

    Quacks like the exception for `error_text`: str() is its message, and it
    carries the exception's `code` and `params` (when data/ gives them).
    """

    message: str
    code: str | None = None
    params: dict | None = None

    @classmethod
    def of(cls, exc: DataFormatError) -> UploadFailure:
        """Keep what `exc` says and its code and numbers, not the exception itself."""
        return cls(str(exc), getattr(exc, "code", None), getattr(exc, "params", None))

    def __str__(self) -> str:
        return self.message


def builtin_mnist(n_train: int | None = None) -> tuple[Dataset, tuple]:
    """The shared, cached MNIST Dataset (or its first n_train digits) and its key for run signatures."""
    if n_train is None:
        return load_dataset("mnist"), ("mnist", "builtin")
    return load_dataset("mnist", n_train=n_train), ("mnist", "builtin", n_train)


def _parse_uploads(train_file, valid_file) -> Dataset | UploadFailure:
    """The uploads as a Dataset (or why they can't be used), parsed once per pair of files.

    A file that failed is remembered as failed too: finding the bad cell of a
    flawed file takes ~0.7 s per 20,000 rows, which every slider move would
    otherwise pay again until the student replaces the file.
    """
    own = mnist_session()
    ids = (train_file.file_id, getattr(valid_file, "file_id", None))
    cached = own.csv_dataset
    if cached is not None and cached[0] == ids:
        return cached[1]
    own.csv_dataset = None  # let the old arrays go before parsing new ones
    try:
        with st.spinner(t("mnist.data.reading")):
            parsed = data.load_mnist_csv(train_file, valid_file, max_bytes=MAX_CSV_MB * 1024 * 1024)
    except DataFormatError as exc:
        parsed = UploadFailure.of(exc)
    own.csv_dataset = (ids, parsed)
    return parsed


def _loaded_note(ds: Dataset, train_file, valid_file) -> str:
    """Where the images came from, in the session's language."""
    if valid_file is not None:
        return t(
            "mnist.data.loaded_pair",
            n_train=len(ds.y_train),
            train=train_file.name,
            n_valid=len(ds.y_valid),
            valid=valid_file.name,
        )
    return t(
        "mnist.data.loaded_held_out",
        total=len(ds.y_train) + len(ds.y_valid),
        train=train_file.name,
        n_valid=len(ds.y_valid),
    )


def csv_upload_ui() -> tuple[Dataset, tuple] | None:
    """Two uploaders (train, optional validation); the parsed Dataset or None, errors shown inline."""
    st.caption(t("mnist.data.csv_format", max_mb=MAX_CSV_MB))
    train_file = file_uploader(
        t("mnist.data.train_csv") + RESTART,
        types=["csv"],
        key="mnist_csv_train",
        max_mb=MAX_CSV_MB,
    )
    valid_file = file_uploader(
        t("mnist.data.valid_csv") + RESTART,
        types=["csv"],
        key="mnist_csv_valid",
        max_mb=MAX_CSV_MB,
        help=t("mnist.data.valid_help"),
    )
    if train_file is None:
        st.info(t("mnist.data.upload_first"))
        return None
    ds = _parse_uploads(train_file, valid_file)
    if isinstance(ds, UploadFailure):
        st.error(t("mnist.data.bad_file", message=error_text(ds)))
        return None
    st.caption(_loaded_note(ds, train_file, valid_file))
    n_valid = len(ds.y_valid)
    if n_valid < 10:
        few = "mnist.data.few_valid_one" if n_valid == 1 else "mnist.data.few_valid_other"
        st.warning(t(few, n=n_valid))
    key = ("mnist", "csv", train_file.file_id, getattr(valid_file, "file_id", None))
    return ds, key


def mnist_data_ui() -> tuple[Dataset, tuple]:
    """The data-source picker; returns (dataset, dataset_key) for training_panel."""
    source = st.radio(
        t("mnist.data.source") + RESTART,
        SOURCES,
        format_func=translator().choice("mnist.data.sources"),
        key=remember("mnist_source", "builtin"),
    )
    if source == "csv":
        uploaded = csv_upload_ui()
        if uploaded is not None:
            return uploaded
    else:
        mnist_session().csv_dataset = None  # free a student's upload once unused
    return builtin_mnist(subset_ui("mnist"))
