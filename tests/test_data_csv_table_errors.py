"""Bad tables: every problem is a coded error naming the row and column, in both languages; fuzzed."""

from __future__ import annotations

import io

import numpy as np
import pytest

from data.csv_table import read_table
from data.csv_table_dataset import FLOAT32_MAX, MAX_CLASS_LIMIT, TARGET_MAX, table_dataset
from data.errors import ERROR_CODES, CodedError
from ui.i18n import Translator


def _csv(rows: list[str], header: str = "a,b,y") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


GOOD = [f"{i},{i % 7},{'cat' if i % 2 else 'dog'}" for i in range(30)]


def _named(raw: bytes, name: str = "my.csv") -> io.BytesIO:
    file = io.BytesIO(raw)
    file.name = name
    return file


def _dataset(raw: bytes, target: str = "y", features=("a", "b"), **kw):
    frame, _ = read_table(_named(raw))
    return table_dataset(frame, target, list(features), **kw)


def _with(i: int, row: str) -> list[str]:
    return [row if j == i else r for j, r in enumerate(GOOD)]


CASES = [
    ("not_csv_png", lambda: read_table(_named(b"\x89PNG\r\n\x1a\n" + bytes(200))), {}),
    ("csv_utf16", lambda: read_table(_named("a,b\n1,2\n".encode("utf-16"))), {}),
    ("csv_binary", lambda: read_table(_named(b"a,b\n1,\x00\x01\n")), {}),
    ("csv_empty", lambda: read_table(_named(b" \n\n")), {}),
    ("csv_no_data_rows", lambda: read_table(_named(b"a,b,y\n")), {}),
    ("csv_header_duplicate", lambda: read_table(_named(_csv(GOOD, "a,a,y"))), {"column_name": "a"}),
    ("csv_header_blank", lambda: read_table(_named(_csv(GOOD, "a,,y"))), {"column": 2}),
    ("table_one_column", lambda: read_table(_named(b"a|b|y\n1|2|3\n")), {}),
    ("csv_row_width", lambda: read_table(_named(_csv(_with(3, "3,1")))), {"row": 5}),
    (  # a quote never closed: the rest of the file is one cell, reported where it starts
        "csv_cell_too_long",
        lambda: read_table(_named(_csv([*GOOD[:3], '3,"' + "x" * 140_000, *GOOD[4:]]))),
        {"row": 5},
    ),
    ("file_too_large", lambda: read_table(_named(_csv(GOOD)), max_bytes=100), {}),
    (
        "csv_cell_not_number",
        lambda: _dataset(_csv(_with(7, "7,seven,cat"))),
        {"row": 9, "column_name": "b", "letter": "B", "value": "seven"},
    ),
    ("csv_no_target", lambda: _dataset(_csv(GOOD), target="price"), {"target": "price"}),
    ("csv_no_features", lambda: _dataset(_csv(GOOD), features=()), {}),
    ("csv_no_feature_columns", lambda: _dataset(_csv(GOOD), features=("a", "z")), {}),
    ("csv_target_is_feature", lambda: _dataset(_csv(GOOD), features=("a", "y")), {}),
    ("csv_feature_twice", lambda: _dataset(_csv(GOOD), features=("a", "a")), {}),
    (
        "csv_target_one_class",
        lambda: _dataset(_csv([r.replace("cat", "dog") for r in GOOD])),
        {"label": "dog"},
    ),
    ("table_too_few_rows", lambda: _dataset(_csv(GOOD[:10])), {"rows": 10, "minimum": 20}),
    ("csv_target_text", lambda: _dataset(_csv(GOOD), task="regression"), {"value": "dog"}),
    (
        "csv_target_decimal",
        lambda: _dataset(_csv([f"{i},{i},{i / 4}" for i in range(30)]), task="multiclass"),
        {},
    ),
    # "b" holds 0..6: seven classes, not two
    ("csv_target_not_binary", lambda: _dataset(_csv(GOOD), "b", ["a"], task="binary"), {}),
    (
        "table_number_too_large",
        lambda: _dataset(_csv(_with(4, "4,1e200,cat"))),
        {"row": 6, "column_name": "b", "letter": "B", "value": "1e200"},
    ),
    (  # a target beyond float32 would be inf after the cast; its square long before that
        "table_number_too_large",
        lambda: _dataset(_csv([f"{i},{i % 7},{i}.5" for i in range(29)] + ["1,2,-1e39"])),
        {"row": 31, "column_name": "y", "letter": "C", "value": "-1e39", "limit": TARGET_MAX},
    ),
    (  # a validation value far outside a training column that barely varies overflows float32
        "table_value_off_scale",
        lambda: _dataset(
            _csv([f"{1 + 2e-11 * (i % 2)!r},{i},{i}.5" for i in range(29)] + ["1e30,1,2.5"]),
            split="course",
        ),
        {"row": 31, "column_name": "a", "value": "1e30"},
    ),
    (
        "table_too_many_classes",
        lambda: _dataset(_csv([f"{i},{i},c{i}" for i in range(60)])),
        {"classes": 60, "limit": MAX_CLASS_LIMIT},
    ),
]


@pytest.mark.parametrize("code, thunk, params", CASES, ids=[c[0] for c in CASES])
def test_each_problem_has_its_code_params_and_both_languages(code, thunk, params):
    with pytest.raises(CodedError) as info:
        thunk()
    exc = info.value
    assert exc.code == code, str(exc)
    assert set(exc.params) == set(ERROR_CODES[code])
    assert params.items() <= exc.params.items()
    english = Translator("en")(f"errors.{code}", **exc.params)
    assert english == str(exc)
    chinese = Translator("zh-TW")(f"errors.{code}", **exc.params)
    assert chinese != english and "{" not in chinese and "[[" not in chinese


def test_a_file_of_200_mb_is_refused_by_its_size_before_it_is_read(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: no 200 MB are written
    with pytest.raises(CodedError) as info:
        read_table(path)
    assert info.value.code == "file_too_large_size"
    assert info.value.params["size_mb"] == 200 and info.value.params["limit_mb"] == 20


def _mutations(rng: np.random.Generator, base: bytes):
    special = [b",", b";", b"\t", b'"', b"\n", b"\r", b"\x00", b"NA", b"x", b"-", b"1e999", b"\xff"]
    special += [b"1e39", b"-1e200", b"9e37"]  # finite in float64, beyond float32 (or its square)
    for _ in range(300):
        data = bytearray(base)
        for _ in range(int(rng.integers(1, 6))):
            kind, at = int(rng.integers(0, 4)), int(rng.integers(0, len(data) or 1))
            if kind == 0 and data:
                data[at] = int(rng.integers(0, 256))
            elif kind == 1:
                data[at:at] = special[int(rng.integers(0, len(special)))]
            elif kind == 2:
                del data[at : at + int(rng.integers(1, 20))]
            else:
                data = data[: at + 1]
        yield bytes(data)
    for n in (0, 1, 3, 50, 500):
        yield rng.integers(0, 256, n, dtype=np.uint8).tobytes()


def test_fuzzed_files_raise_nothing_but_coded_errors():
    """Random damage to a good table: read it and train on it, or get a coded error, never a crash."""
    rng = np.random.default_rng(13)
    base = _csv(GOOD)
    outcomes = {"ok": 0, "coded": 0}
    for data in _mutations(rng, base):
        try:
            frame, report = read_table(data)
            target = report.columns[-1].name
            features = [c for c in report.numeric_columns if c != target] or [
                report.columns[0].name
            ]
            task = (None, "regression", "multiclass")[int(rng.integers(0, 3))]
            split = ("recommended", "course")[int(rng.integers(0, 2))]
            table_dataset(frame, target, features, task=task, split=split)
            outcomes["ok"] += 1
        except CodedError as exc:
            assert exc.code in ERROR_CODES, exc.code
            outcomes["coded"] += 1
    assert outcomes["ok"] > 30 and outcomes["coded"] > 30, outcomes


def test_fuzzed_numbers_beyond_float32_name_their_cell_and_the_rest_train_finite():
    """Huge numbers in random cells: refused naming that very cell, or a finite Dataset."""
    rng = np.random.default_rng(7)
    limits = (FLOAT32_MAX, FLOAT32_MAX, TARGET_MAX)  # features a and b, then the target y
    refused = 0
    for _ in range(60):
        rows = [[f"{i}", f"{(i * 7) % 11 / 2}", f"{i * 1.5 + 3}"] for i in range(30)]
        i, j = int(rng.integers(0, 30)), int(rng.integers(0, 3))
        value = float(rng.choice([-1, 1])) * 10.0 ** int(rng.integers(10, 60))
        rows[i][j] = repr(value)
        try:
            ds = _dataset(_csv([",".join(r) for r in rows]), task="regression")
        except CodedError as exc:
            assert exc.code == "table_number_too_large" and abs(value) >= limits[j], str(exc)
            assert (exc.params["row"], exc.params["letter"]) == (i + 2, "ABC"[j])
            refused += 1
            continue
        assert abs(value) < limits[j]
        for part in (ds.X_train, ds.X_valid, ds.y_train, ds.y_valid):
            assert np.isfinite(part).all()
    assert 10 < refused < 55, refused


def test_a_mac_csv_with_only_cr_line_ends_is_read():
    # Excel for Mac's "CSV (Macintosh)": the whole file used to be one line, and refused.
    frame, _ = read_table(_named(_csv(GOOD).replace(b"\n", b"\r")))
    assert list(frame.columns) == ["a", "b", "y"] and len(frame) == len(GOOD)


def test_a_row_over_two_lines_is_named_by_the_line_it_starts_on():
    rows = [*GOOD[:2], '2,"two\nlines"', *GOOD[3:]]  # lines 4 and 5, one value short
    with pytest.raises(CodedError) as info:
        read_table(_named(_csv(rows)))
    assert info.value.code == "csv_row_width" and info.value.params["row"] == 4
