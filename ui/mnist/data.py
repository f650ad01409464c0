"""Where the MNIST lab's data comes from: the built-in 60k/10k set or the slides' CSV files.

The built-in set is loaded once per server process and shared read-only
(ui.datasets.load_dataset). Uploaded CSVs belong to one student, so their
parsed arrays live in that session's state, parsed once per upload, not once
per rerun.
"""

from __future__ import annotations

import streamlit as st

import data
from data import DataFormatError, Dataset
from ui.controls import RESTART
from ui.datasets import load_dataset
from ui.mnist.session import mnist_session
from ui.state import remember

# The slides' mnist_train.csv (60,000 rows) is about 105 MB; 120 MB leaves room
# for a header and Windows line ends while refusing anything far bigger.
MAX_CSV_MB = 120
SOURCES = {
    "builtin": "Built-in MNIST (60,000 train / 10,000 validation)",
    "csv": "Upload the slides' CSV files",
}


def builtin_mnist() -> tuple[Dataset, tuple]:
    """The shared, cached MNIST Dataset and its key for run signatures."""
    return load_dataset("mnist"), ("mnist", "builtin")


def _parse_uploads(train_file, valid_file) -> Dataset:
    """The uploads as a Dataset, parsed once per pair of files; raises DataFormatError.

    A file that failed is remembered as failed too: finding the bad cell of a
    flawed file takes ~0.7 s per 20,000 rows, which every slider move would
    otherwise pay again until the student replaces the file.
    """
    own = mnist_session()
    ids = (train_file.file_id, getattr(valid_file, "file_id", None))
    cached = own.csv_dataset
    if cached is not None and cached[0] == ids:
        if isinstance(cached[1], str):  # the message of an earlier failure
            raise DataFormatError(cached[1])
        return cached[1]
    own.csv_dataset = None  # let the old arrays go before parsing new ones
    try:
        with st.spinner("Reading the CSV files…"):
            ds = data.load_mnist_csv(train_file, valid_file, max_bytes=MAX_CSV_MB * 1024 * 1024)
    except DataFormatError as exc:
        own.csv_dataset = (ids, str(exc))
        raise
    own.csv_dataset = (ids, ds)
    return ds


def csv_upload_ui() -> tuple[Dataset, tuple] | None:
    """Two uploaders (train, optional validation); the parsed Dataset or None, errors shown inline."""
    st.caption(
        "Each row: the label (0-9), then 784 pixel values 0-255, as in mnist_train.csv / "
        f"mnist_valid.csv. At most {MAX_CSV_MB} MB per file."
    )
    train_file = st.file_uploader(
        "Training CSV" + RESTART, type=["csv"], key="mnist_csv_train", max_upload_size=MAX_CSV_MB
    )
    valid_file = st.file_uploader(
        "Validation CSV (optional)" + RESTART,
        type=["csv"],
        key="mnist_csv_valid",
        max_upload_size=MAX_CSV_MB,
        help="Without one, 1/6 of the training rows are held out for validation.",
    )
    if train_file is None:
        st.info("Upload a training CSV to use it. Until then the built-in MNIST is used.")
        return None
    try:
        ds = _parse_uploads(train_file, valid_file)
    except DataFormatError as exc:
        st.error(f"**That file can't be used.** {exc} The built-in MNIST is used meanwhile.")
        return None
    for note in ds.notes:
        st.caption(note)
    n_valid = len(ds.y_valid)
    if n_valid < 10:
        st.warning(
            f"Only {n_valid} validation image{'' if n_valid == 1 else 's'}: "
            "accuracies will jump in big steps."
        )
    key = ("mnist", "csv", train_file.file_id, getattr(valid_file, "file_id", None))
    return ds, key


def mnist_data_ui() -> tuple[Dataset, tuple]:
    """The data-source picker; returns (dataset, dataset_key) for training_panel."""
    source = st.radio(
        "Data" + RESTART,
        list(SOURCES),
        format_func=SOURCES.get,
        key=remember("mnist_source", "builtin"),
    )
    if source == "csv":
        uploaded = csv_upload_ui()
        if uploaded is not None:
            return uploaded
    else:
        mnist_session().csv_dataset = None  # free a student's upload once unused
    return builtin_mnist()
