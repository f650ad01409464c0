"""The code view's data zip: a built-in set's is shared by the server, a student's own rows never are."""

from __future__ import annotations

import io
import zipfile

import data
from data import load_mnist_csv
from models.export import data_command, data_spec
from ui.code_view import data_zip


def _csv_bytes(ds, rows: slice) -> bytes:
    X, y = ds.X_train[rows], ds.y_train[rows]
    pairs = zip(X, y, strict=True)
    lines = [",".join(map(str, [int(lbl), *img.reshape(-1).tolist()])) for img, lbl in pairs]
    return ("\n".join(lines) + "\n").encode()


def _train_rows(zipped: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(zipped)) as z:
        name = next(n for n in z.namelist() if "train" in n)
        return len(z.read(name).decode().strip().splitlines())  # the slides' CSV: no header


def test_an_uploaded_mnist_csv_is_zipped_as_itself_not_as_the_shared_builtin_zip():
    # The built-in set's shared key was (name, split, options): an upload without a validation
    # file made the same key, so one student's download could be another's rows.
    builtin = data.load("mnist", n_train=60, n_valid=12)
    builtin.options = {}  # the key the whole built-in set is shared under
    first = load_mnist_csv(io.BytesIO(_csv_bytes(builtin, slice(0, 30))))
    second = load_mnist_csv(io.BytesIO(_csv_bytes(builtin, slice(30, 54))))
    assert first.name == "mnist" and first.options == {"source": "csv"}
    shared = data_zip(builtin)
    assert _train_rows(shared) == 60
    assert _train_rows(data_zip(first)) == 25  # 30 rows, 1/6 held out for validation
    assert _train_rows(data_zip(second)) == 20
    assert data_zip(builtin) is shared  # the built-in set's zip is still made once


def test_an_uploaded_mnist_csv_gets_no_built_in_export_command():
    builtin = data.load("mnist", n_train=60, n_valid=12)
    uploaded = load_mnist_csv(io.BytesIO(_csv_bytes(builtin, slice(0, 30))))
    assert data_command(data_spec(builtin)) == (
        "python -m data export mnist DATA --n-train 60 --n-valid 12"
    )
    assert data_command(data_spec(uploaded)) is None
    # ... nor when the run comes back from its model file's description of the data
    assert data_command(data_spec({"name": "mnist", "options": {"source": "csv"}})) is None
