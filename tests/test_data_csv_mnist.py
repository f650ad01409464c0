"""MNIST CSV import: round trip with real digits, and every bad case."""

from __future__ import annotations

import gzip
import io

import numpy as np
import pytest

import data
from data import DataFormatError, load_mnist_csv, parse_mnist_csv


@pytest.fixture(scope="module")
def real():
    ds = data.load("mnist", n_train=60, n_valid=12)
    return ds


def _rows(X: np.ndarray, y: np.ndarray) -> list[str]:
    return [
        ",".join(map(str, [int(lbl), *img.reshape(-1).tolist()]))
        for img, lbl in zip(X, y, strict=True)
    ]


def _csv(lines: list[str], header: bool = False) -> bytes:
    head = (
        ["label," + ",".join(f"{r}x{c}" for r in range(1, 29) for c in range(1, 29))]
        if header
        else []
    )
    return ("\n".join(head + lines) + "\n").encode()


def _row(label="3", pixel="0", at=None, n_pixels=784) -> str:
    cells = [label] + ["0"] * n_pixels
    if at is not None:
        cells[at] = pixel
    return ",".join(cells)


@pytest.mark.parametrize("header", [False, True])
def test_round_trip_from_path(tmp_path, real, header):
    path = tmp_path / "mnist_train.csv"
    path.write_bytes(_csv(_rows(real.X_train, real.y_train), header=header))
    X, y = parse_mnist_csv(path)
    assert X.dtype == np.uint8 and X.shape == (60, 28, 28) and y.dtype == np.int64
    np.testing.assert_array_equal(X, real.X_train)
    np.testing.assert_array_equal(y, real.y_train)


def test_load_with_valid_file_from_file_objects(real):
    train = io.BytesIO(_csv(_rows(real.X_train, real.y_train), header=True))
    valid = io.BytesIO(_csv(_rows(real.X_valid, real.y_valid)))
    train.read()  # the page may already have read the upload once
    ds = load_mnist_csv(train, valid)
    np.testing.assert_array_equal(ds.X_train, real.X_train)
    np.testing.assert_array_equal(ds.X_valid, real.X_valid)
    np.testing.assert_array_equal(ds.y_valid, real.y_valid)
    assert ds.task == "multiclass" and ds.class_names == real.class_names
    assert ds.input_shape == (28, 28) and ds.n_outputs == 10


def test_holdout_is_a_stratified_sixth(real):
    X = np.concatenate([real.X_train] * 2)
    y = np.repeat(np.arange(10), 12)  # 12 of each digit
    ds = load_mnist_csv(io.BytesIO(_csv(_rows(X, y))), seed=1)
    assert len(ds.y_valid) == 20 and len(ds.y_train) == 100
    assert np.bincount(ds.y_valid).tolist() == [2] * 10
    again = load_mnist_csv(io.BytesIO(_csv(_rows(X, y))), seed=1)
    np.testing.assert_array_equal(ds.X_valid, again.X_valid)


def _error(content: bytes, **kw) -> str:
    with pytest.raises(DataFormatError) as info:
        parse_mnist_csv(io.BytesIO(content), **kw)
    return str(info.value)


def test_error_empty_file():
    assert "empty" in _error(b"")
    assert "empty" in _error(b"\n\n  \n")


def test_error_header_only():
    assert "only a header row" in _error(_csv([], header=True))


def test_error_wrong_column_count():
    msg = _error(_csv([_row(), _row(), _row(n_pixels=783)]))
    assert "row 3 has 784 values" in msg and "needs 785" in msg
    msg = _error(_csv([_row(), _row() + ",0"], header=True))
    assert "row 3 has 786 values" in msg


def test_error_label_column_missing_hint():
    msg = _error(_csv([",".join(["0"] * 784)] * 3))
    assert "label column seems to be missing" in msg


def test_error_semicolons_hint():
    msg = _error(b"5;0;0\n")
    assert "row 1 has 1 value but" in msg and "semicolons" in msg


@pytest.mark.parametrize(
    "content,expected",
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "it is a PNG image"),
        (b"\xff\xd8\xff\xe0" + bytes(64), "it is a JPEG image"),
        (b"PK\x03\x04" + bytes(64), "it is a zip archive (an Excel .xlsx workbook is one too)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "it is an old Excel .xls workbook"),
        (
            gzip.compress(b"3," + b",".join([b"0"] * 784) + b"\n"),
            "gzip-compressed (unpack it first)",
        ),
        ("3,0,0\n".encode("utf-16"), "saved as UTF-16"),
        (b"3,0,0\x00\x00\x01\x02,7\n", "contains binary data, not text"),
    ],
    ids=["png", "jpeg", "xlsx-zip", "xls", "gzip", "utf16", "nul-bytes"],
)
def test_error_not_a_text_file_says_what_it_is(content, expected):
    # These used to read "row 1 has 1 values", sending the student looking for a missing comma.
    msg = _error(content)
    assert msg.startswith("the file ") and expected in msg and "row 1" not in msg


def test_error_non_numeric_cell_names_row_column_and_value():
    msg = _error(_csv([_row(), _row(), _row(at=100, pixel="abc")], header=True))
    assert "row 4" in msg and "column 101 (CW, pixel 100 of 784)" in msg and "'abc'" in msg
    assert "not a number" in msg


def test_error_stray_non_ascii_byte_names_the_cell():
    # A byte that is not UTF-8 used to escape as a UnicodeDecodeError (a traceback on the page).
    msg = _error(_csv([_row(), _row()]) + b"3\xff," + ",".join(["0"] * 784).encode() + b"\n")
    assert "row 3, column 1 (A, the label)" in msg and "is not a number" in msg
    msg = _error(_csv([_row(), _row()])[:-2] + b"\xe9\n")
    assert "row 2, column 785" in msg and "is not a number" in msg


def test_error_unclosed_quote_names_the_cell():
    # An unclosed quote used to escape as pandas' "EOF inside string" ParserError.
    msg = _error(_csv([_row(), '"' + _row(), _row()]))
    assert "row 2, column 1 (A, the label)" in msg and "quote mark" in msg and "never closed" in msg
    msg = _error(_csv([_row(), _row(at=7, pixel='12""')]))
    assert "row 2, column 8" in msg and "'12\"\"' is not a number" in msg


def test_quoted_values_and_a_non_utf8_header_are_fine(real):
    quoted = ['"' + line.replace(",", '","') + '"' for line in _rows(real.X_train, real.y_train)]
    X, y = parse_mnist_csv(io.BytesIO(_csv(quoted)))
    np.testing.assert_array_equal(X, real.X_train)
    header = "標籤".encode("cp950") + b"," + ",".join(f"p{i}" for i in range(784)).encode()
    X, y = parse_mnist_csv(io.BytesIO(header + b"\n" + _csv(_rows(real.X_train, real.y_train))))
    np.testing.assert_array_equal(y, real.y_train)
    # ...but a bad cell after quoted rows is still found, with its quotes shown.
    msg = _error(_csv(quoted + ['"3",' + ",".join(['"x"'] * 784)]))
    assert "row 61, column 2" in msg and "'\"x\"' is not a number" in msg


def test_error_empty_cell():
    msg = _error(_csv([_row(), _row(at=5, pixel="")]))
    assert "row 2, column 6 (F, pixel 5 of 784): the cell is empty" in msg
    msg = _error(_csv([_row(), _row(at=5, pixel=" ")]))
    assert "row 2" in msg and "the cell is empty" in msg


def test_error_label_out_of_range():
    msg = _error(_csv([_row(), _row(label="10")]))
    assert "row 2, column 1 (A, the label): label 10 is not a digit from 0 to 9" in msg
    assert "label -1" in _error(_csv([_row(label="-1")]))
    assert "not a whole number" in _error(_csv([_row(label="2.5")]))


def test_error_pixel_out_of_range():
    msg = _error(_csv([_row(), _row(), _row(at=784, pixel="256")]))
    assert "row 3, column 785 (ADE, pixel 784 of 784): pixel value 256 is outside 0-255" in msg
    assert "pixel value -4" in _error(_csv([_row(at=1, pixel="-4")]))
    assert "pixel value 70000" in _error(_csv([_row(at=1, pixel="70000")]))


def test_error_scaled_pixels_hint():
    msg = _error(_csv([_row(at=3, pixel="0.5")]))
    assert "not a whole number" in msg and "multiplied by 255" in msg


def test_error_size_limit(tmp_path):
    content = _csv([_row()] * 10)
    msg = _error(content, max_bytes=1024 * 1024 // 100)
    assert "limit" in msg and "MB" in msg
    path = tmp_path / "big.csv"
    path.write_bytes(content)
    with pytest.raises(
        DataFormatError, match=r"big.csv is 0.015 MB, larger than the 0.001 MB limit"
    ):
        parse_mnist_csv(path, max_bytes=1049)


def test_error_names_the_valid_file(real, tmp_path):
    good = tmp_path / "mnist_train.csv"
    good.write_bytes(_csv(_rows(real.X_train, real.y_train)))
    bad = tmp_path / "mnist_valid.csv"
    bad.write_bytes(_csv([_row(label="x1")]))
    with pytest.raises(DataFormatError, match=r"mnist_valid.csv, row 1.*'x1'"):
        load_mnist_csv(good, bad)


def test_missing_file(tmp_path):
    with pytest.raises(DataFormatError, match="Cannot open nope.csv"):
        parse_mnist_csv(tmp_path / "nope.csv")
