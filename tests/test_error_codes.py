"""Coded errors: data/, models/ and lessons/ name each problem with a code and its numbers.

The UI words them from errors.<code> (ui/locales/*/errors.toml); str(exc) stays the
English sentence the CLI prints. data.errors.ERROR_CODES lists every code with its params.
"""

from __future__ import annotations

import ast
import io
import pickle
import string
import tomllib
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import torch

import data
import data.digits  # a submodule is an attribute of data only once imported (else by test order)
import models
from data.csv_mnist import _NOT_CSV
from data.errors import ERROR_CODES, BlankDrawingError, CodedError, DataFormatError
from data.mnist import IMAGE_MAGIC, parse_idx
from lessons import backprop, convolution, loss_surfaces, optimizer_paths
from lessons import universal_approximation as ua
from lessons.activation_stats import autograd_curve, chain_gradients
from models import ModelConfig, ModelFileError, TrainConfig, TrainingRun
from models.activations import ACTIVATIONS
from models.device import DEVICE_NOTES
from tests.model_file_helpers import edited_description
from ui.i18n import LOCALES, Translator

ROOT = Path(__file__).resolve().parents[1]
CODED = {"CodedError", "DataFormatError", "BlankDrawingError", "ModelFileError", "StopReason"}
# Codes whose catalogue English words the problem for the UI differently from str(exc).
REWORDED = {"model_file_architecture", "model_outputs_mismatch"} | {
    f"model_task_{task}" for task in ("regression", "binary", "multiclass")
}
# Sites whose code is computed (an f-string or a table): the cases below cover each.
COMPUTED_CODES = {
    "data/csv_mnist.py": 4,
    "data/csv_tabular.py": 1,
    "data/mnist.py": 1,
    "models/persistence.py": 1,
    "models/builders.py": 1,  # model_config_problem's: tests/test_model_config_problem.py
    "lessons/convolution.py": 4,
}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _catalogue(language: str) -> dict:
    with (LOCALES / language / "errors.toml").open("rb") as f:
        return tomllib.load(f)


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_every_code_has_a_message_with_exactly_its_params(language):
    table = _catalogue(language)
    assert sorted(set(ERROR_CODES) - set(table)) == [], "codes without a message"
    assert sorted(set(table) - set(ERROR_CODES)) == [], "messages for no code"
    assert all(isinstance(text, str) for text in table.values())  # top level: errors.<code>
    wrong = {
        code: (sorted(_fields(table[code])), sorted(params))
        for code, params in ERROR_CODES.items()
        if _fields(table[code]) != set(params)
    }
    assert not wrong


def _coded_calls():
    for package in ("data", "models", "lessons"):
        for path in sorted((ROOT / package).glob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) in CODED:
                    yield path.relative_to(ROOT).as_posix(), node


def test_every_code_in_the_sources_is_registered_with_its_params():
    problems, computed = [], {}
    for where, call in _coded_calls():
        at = f"{where}:{call.lineno}"
        if len(call.args) < 2:
            problems.append(f"{at}: a coded error needs a code and a message")
            continue
        first = call.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            computed[where] = computed.get(where, 0) + 1
            continue
        code = first.value
        if code not in ERROR_CODES:
            problems.append(f"{at}: {code!r} is not in ERROR_CODES")
            continue
        expected = set(ERROR_CODES[code])
        if call.func.id == "StopReason":
            given = call.args[2] if len(call.args) > 2 else ast.Dict(keys=[], values=[])
            if isinstance(given, ast.Dict) and None not in given.keys:
                keys = {k.value for k in given.keys}
                if keys != expected:
                    problems.append(f"{at}: {code} has params {keys}, expected {expected}")
            continue
        names = {k.arg for k in call.keywords}
        splat = None in names
        names.discard(None)
        if (not splat and names != expected) or (splat and not names <= expected):
            problems.append(f"{at}: {code} has params {names}, expected {expected}")
    assert not problems
    assert computed == COMPUTED_CODES


def test_the_code_tables_are_registered():
    for code, note in DEVICE_NOTES.items():
        assert ERROR_CODES[code] == () and Translator("en")(f"errors.{code}") == note
    assert all(ERROR_CODES[code] == ("name",) for _, _, code in _NOT_CSV)


def test_a_coded_error_keeps_its_code_through_pickling_and_a_plain_one_has_none():
    error = DataFormatError("csv_empty", "x.csv is empty.", name="x.csv")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is DataFormatError and isinstance(again, ValueError)
    assert (again.code, again.params, str(again)) == ("csv_empty", {"name": "x.csv"}, str(error))
    plain = ModelFileError("Some message.")
    assert plain.code is None and plain.params == {} and str(plain) == "Some message."
    assert issubclass(ModelFileError, CodedError) and issubclass(BlankDrawingError, CodedError)


def _check(exc: BaseException, code: str, params: dict | None) -> None:
    """exc has `code` and exactly `params` (None: only their names), and both languages word it."""
    assert isinstance(exc, CodedError) and isinstance(exc, ValueError)
    assert exc.code == code
    assert set(exc.params) == set(ERROR_CODES[code])
    if params is not None:
        assert exc.params == params
    english = Translator("en")(f"errors.{code}", **exc.params)
    if code not in REWORDED:
        assert english == str(exc)
    chinese = Translator("zh-TW")(f"errors.{code}", **exc.params)
    assert chinese != english and "[[" not in chinese and "{" not in chinese


def _raised(thunk) -> BaseException:
    with pytest.raises(ValueError) as info:
        thunk()
    return info.value


def _mnist(*rows: str):
    return lambda: data.parse_mnist_csv(io.BytesIO(("\n".join(rows) + "\n").encode()))


def _row(label: str = "0", pixels: list[str] | None = None) -> str:
    return ",".join([label, *(pixels or ["0"] * 784)])


def _with(index: int, text: str) -> list[str]:
    return [text if i == index else "0" for i in range(784)]


def _table(text: bytes, **kw):
    return lambda: data.load_tabular_csv(io.BytesIO(text), **kw)


def _idx(*ints: int) -> bytes:
    return b"".join(i.to_bytes(4, "big") for i in ints)


F = "the file"  # the name of a file that has none (bytes)
IRIS, BOSTON = data.load("iris"), data.load("boston")
MB = 1024 * 1024


def case(code: str, thunk, **params):
    return pytest.param(code, params, thunk, id=code)


# A whole NN Lab model file; cut short, it is what a download that stopped early leaves.
_MODEL_BYTES = models.model_to_bytes(models.build_model(ModelConfig((4,), 3, "multiclass")))


def _check_model(config: ModelConfig, dataset):
    return lambda: models.check_compatible(models.build_model(config), dataset)


def _cnn(shape, **kw):
    return lambda: models.build_model(ModelConfig(shape, 2, "multiclass", kind="cnn", **kw))


HEADER = ",".join(["label", *(f"p{i}" for i in range(784))])
CASES = [
    case("mnist_csv_semicolons", _mnist("5;0;0"), name=F, row=1),
    case("mnist_csv_tabs", _mnist("5\t0\t0"), name=F, row=1),
    case("mnist_csv_no_label", _mnist(*[",".join(["0"] * 784)] * 3), name=F, row=1),
    case("mnist_csv_row_width", _mnist(_row(), _row() + ",0"), name=F, row=2, found=786),
    case("mnist_csv_row_one_value", _mnist(_row(), "7"), name=F, row=2),
    case(
        "mnist_csv_pixel_not_number",
        _mnist(_row(), _row(pixels=_with(99, "abc"))),
        **dict(name=F, row=2, column=101, letter="CW", pixel=100, value="abc"),
    ),
    case("mnist_csv_label_not_number", _mnist(_row("x")), name=F, row=1, value="x"),
    case("mnist_csv_label_range", _mnist(_row("10")), name=F, row=1, value=10.0),
    case(
        "mnist_csv_pixel_range",
        _mnist(_row(pixels=_with(783, "256"))),
        **dict(name=F, row=1, column=785, letter="ADE", pixel=784, value=256.0),
    ),
    case(
        "mnist_csv_pixel_scaled",
        _mnist(_row(pixels=["0.5"] * 784)),
        **dict(name=F, row=1, column=2, letter="B", pixel=1, value=0.5),
    ),
    case(
        "mnist_csv_pixel_not_whole",
        _mnist(_row(pixels=_with(1, "7.5"))),
        **dict(name=F, row=1, column=3, letter="C", pixel=2, value=7.5),
    ),
    case("mnist_csv_label_not_whole", _mnist(_row("1.5")), name=F, row=1, value=1.5),
    case("mnist_csv_label_empty", _mnist(_row("")), name=F, row=1),
    case(
        "mnist_csv_pixel_empty",
        _mnist(_row(pixels=_with(4, ""))),
        **dict(name=F, row=1, column=6, letter="F", pixel=5),
    ),
    case("mnist_csv_label_open_quote", _mnist(_row('"5')), name=F, row=1, value='"5'),
    case("mnist_csv_no_images", _mnist(HEADER), name=F),
    case("mnist_csv_one_image", lambda: data.load_mnist_csv(_row().encode()), name=F),
    case("not_csv_png", lambda: data.parse_mnist_csv(b"\x89PNG\r\n" + bytes(64)), name=F),
    case("csv_utf16", lambda: data.parse_mnist_csv("3,0\n".encode("utf-16")), name=F),
    case("csv_empty", lambda: data.parse_mnist_csv(b""), name=F),
    case("csv_no_target", _table(b"a,b\n1,2\n", target="p"), name=F, target="p", columns="a, b"),
    case(
        "csv_no_target_semicolons",
        _table(b"a;b\n1;2\n3;4\n", target="a"),
        **dict(name=F, target="a", columns="a;b"),
    ),
    case(
        "csv_cell_not_number",
        _table(b"x,z,y\n1,2,0\n3,abc,1\n", target="y"),
        **dict(name=F, row=3, column_name="z", letter="B", value="abc"),
    ),
    case(
        "csv_cell_missing",
        _table(b"x,y\n1,0\nNA,1\n", target="y"),
        **dict(name=F, row=3, column_name="x", letter="A", value="NA"),
    ),
    case(
        "csv_row_width",
        _table(b"x,y\n1,2\n1,2,3\n", target="y"),
        **dict(name=F, row=3, found=3, columns=2, header="x, y"),
    ),
    case(
        "csv_target_not_binary",
        _table(b"x,y\n1,0\n2,1\n3,2\n", target="y", task="binary"),
        **dict(name=F, target="y", classes=3),
    ),
    case(
        "idx_magic_images",
        lambda: parse_idx(_idx(2049, 1, 28, 28) + bytes(784), IMAGE_MAGIC, "img"),
        **dict(name="img", found=2049, expected=2051),
    ),
    case(
        "unknown_dataset",
        lambda: data.load("cifar"),
        **dict(name="cifar", choices=", ".join(data.DATASET_NAMES)),
    ),
    case("features_empty", lambda: data.load("iris", features=[])),
    case(
        "features_unknown",
        lambda: data.load("iris", features=["colour"]),
        **dict(features="'colour'", available=", ".join(IRIS.feature_names)),
    ),
    case("drawing_blank", lambda: data.canvas_to_mnist(np.zeros((28, 28, 4), np.uint8))),
    case("image_bad_shape", lambda: data.digits.extract_ink(np.zeros((5, 5, 2))), shape=(5, 5, 2)),
    case("conv_too_many_blocks", _cnn((4, 4), conv_channels=(2, 2, 2))),
    case("kernel_size_odd", _cnn((8, 8), kernel_size=4), size=4),
    case("dropout_range", _cnn((8, 8), dropout=1.0), value=1.0),
    case(
        "unknown_activation",
        lambda: models.get_activation("swish"),
        **dict(name="swish", choices=", ".join(ACTIVATIONS)),
    ),
    case("lr_not_positive", lambda: models.make_optimizer("sgd", [torch.zeros(1)], lr=0), lr=0),
    case(
        "batch_or_epochs_invalid",
        lambda: TrainingRun(IRIS, ModelConfig((4,), 3, "multiclass"), TrainConfig(batch_size=0)),
        **dict(batch_size=0, epochs=10),
    ),
    case("model_file_not_pytorch", lambda: models.load_model(b"junk")),
    case("model_file_empty", lambda: models.load_model(b"")),
    case("model_file_incomplete", lambda: models.load_model(_MODEL_BYTES[:100]), size=100),
    case(
        "model_other_columns",
        lambda: models.persistence.check_same_table(
            {"options": {"target": "y"}, "feature_names": ["a", "b"]},
            SimpleNamespace(options={"target": "price"}, feature_names=["a", "c"]),
        ),
        **dict(file_target="y", file_features="a, b", target="price", features="a, c"),
    ),
    case(
        "model_input_shape",
        _check_model(ModelConfig((4,), 3, "multiclass"), BOSTON),
        **dict(model_shape=(4,), data_shape=(13,)),
    ),
    case(
        "model_task_regression",
        _check_model(ModelConfig((4,), 1, "regression"), IRIS),
        **dict(model_outputs=1, data_outputs=3),
    ),
    case(
        "model_outputs_mismatch",
        _check_model(ModelConfig((4,), 10, "multiclass"), IRIS),
        **dict(model_outputs=10, data_outputs=3),
    ),
    case("stride_too_small", lambda: convolution.output_size(5, 3, stride=0), stride=0),
    case(
        "filter_too_big",
        lambda: convolution.conv2d(np.ones((3, 3)), np.ones((4, 4))),
        **dict(kh=4, kw=4, ph=3, pw=3),
    ),
    case(
        "pool_too_big",
        lambda: convolution.maxpool2d(np.ones((2, 3)), 3),
        **dict(size=3, height=2, width=3),
    ),
    case("points_too_few", lambda: ua.check_points([[0, 0]])),
    case("points_x_range", lambda: ua.check_points([[0, 0], [3, 1]]), lo=-2.0, hi=2.0),
    case("points_y_range", lambda: ua.check_points([[0, 0], [1, 1e3]]), limit=100.0),
    case("points_same_x", lambda: ua.check_points([[0, 0], [0, 1]])),
    case("points_empty_cells", lambda: ua.check_points([[0, None], [1, 1]])),
    case("points_not_numbers", lambda: ua.check_points([["a", 1], [1, 1]])),
    case(
        "unknown_target",
        lambda: ua.target_values("cos", [0.0]),
        **dict(name="cos", choices="sin, abs, step, polynomial"),
    ),
    case(
        "sigmoid_target_range",
        lambda: backprop.forward(
            backprop.Params.from_flat(np.zeros(9)), [0, 0], 2, output="sigmoid"
        ),
        value=2,
    ),
    case("backprop_param_count", lambda: backprop.Params.from_flat([1, 2, 3]), count=3),
    case("range_order", lambda: autograd_curve("relu", 1, 0), lo=1, hi=0),
    case("chain_depth", lambda: chain_gradients("relu", depth=0), depth=0),
    case(
        "unknown_surface",
        lambda: loss_surfaces.get_surface("Flat"),
        **dict(name="Flat", choices=", ".join(loss_surfaces.SURFACES)),
    ),
    case(
        "steps_negative",
        lambda: optimizer_paths.run_path(loss_surfaces.get_surface("Bowl"), "sgd", 0.1, steps=-1),
        steps=-1,
    ),
]


@pytest.mark.parametrize(("code", "params", "thunk"), CASES, ids=[c[0] for c in CASES])
def test_errors_carry_their_code_and_params(code, params, thunk):
    _check(_raised(thunk), code, params)


@pytest.mark.parametrize("what", convolution.GRID_NAMES)
def test_each_grid_has_its_own_codes(what):
    _check(_raised(lambda: convolution.to_grid([], what)), f"{what}_empty", {})
    cells = {
        "not_number": ("abc", {"value": "abc"}),
        "not_finite": (None, {}),
        "too_large": (1e7, {"limit": convolution.MAX_CELL}),
    }
    for problem, (cell, extra) in cells.items():
        exc = _raised(lambda cell=cell: convolution.to_grid([[1, 2], [3, cell]], what))
        _check(exc, f"{what}_cell_{problem}", {"row": 2, "column": 2, **extra})
    assert _raised(lambda: convolution.to_grid([], "table")).code == "grid_empty"


def test_a_file_over_the_limit_gives_both_sizes(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"0," * 1000)
    sizes = {"size_mb": 2000 / MB, "limit_mb": 500 / MB}
    exc = _raised(lambda: data.parse_mnist_csv(path, max_bytes=500))
    _check(exc, "file_too_large_size", {"name": "big.csv", **sizes})
    exc = _raised(lambda: data.parse_mnist_csv(io.BytesIO(b"0," * 1000), max_bytes=500))
    _check(exc, "file_too_large", {"name": F, "limit_mb": 500 / MB})


def _saved_iris_model(edit=None) -> bytes:
    model = models.build_model(ModelConfig((4,), 3, "multiclass", hidden=(8,)))
    return edited_description(
        models.model_to_bytes(model), lambda meta: edit and edit(meta["model_config"])
    )


def _edited_file(edit) -> bytes:
    """An NN Lab Iris file whose whole description (meta) `edit` changes, as by hand."""
    model = models.build_model(ModelConfig((4,), 3, "multiclass", hidden=(8,)))
    return edited_description(models.model_to_bytes(model, train_config=TrainConfig()), edit)


def test_a_setting_nn_lab_cannot_use_is_named_with_its_value():
    blob = _edited_file(lambda m: m["train_config"].update(optimizer="lbfgs"))
    exc = _raised(lambda: models.load_model(blob))
    _check(exc, "model_file_bad_setting", {"setting": "train_config.optimizer", "value": "'lbfgs'"})
    blob = _edited_file(lambda m: m.update(history=[1, 2]))
    _check(_raised(lambda: models.load_model(blob)), "model_file_bad_setting", None)


def test_a_lab_that_trains_fewer_kinds_names_them():
    from lessons.registry import lab
    from ui.model_files import check_lab_kind

    exc = _raised(lambda: check_lab_kind(lab("rnn"), "mlp"))
    _check(exc, "model_kind_not_in_lab", {"kind": "MLP", "choices": "RNN/LSTM/GRU"})
    check_lab_kind(lab("rnn"), "lstm")
    check_lab_kind(lab("xor"), "cnn")  # XOR's sidebar has no kind choice: its data decides


def test_model_file_errors_keep_the_cause_and_torchs_detail():
    exc = _raised(
        lambda: models.load_model(_saved_iris_model(lambda c: c.update(activation="swish")))
    )
    _check(exc, "model_file_architecture", {})
    assert exc.__cause__.code == "unknown_activation"
    exc = _raised(lambda: models.load_model(_saved_iris_model(lambda c: c.update(hidden=[9]))))
    _check(exc, "model_file_weights_mismatch", None)
    assert (
        exc.params["detail"]
        == "0.weight (8, 4) ≠ (9, 4); 0.bias (8) ≠ (9); 2.weight (3, 8) ≠ (3, 9)"
    )
