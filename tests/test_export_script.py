"""The generated script, read and run in-process: valid for every setting, same weights, true comments.

The end-to-end proof (a subprocess without NN Lab reaching the app's metric) is
tests/test_export_reproduces.py; these are the fast checks of the pieces.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import re

import pytest
import torch

import data
import models.export as export
from data.errors import CodedError
from models import ModelConfig, TrainConfig, build_model, save_model
from models.activations import BUILDER_ACTIVATIONS
from models.config import INITS, LOSSES
from models.export import data_command, data_spec, export_model_file, export_script, main
from models.optimizers import OPTIMIZERS
from ui.i18n import Translator

ALLOWED_IMPORTS = {
    "argparse",
    "copy",
    "json",
    "math",
    "os",
    "sys",
    "time",
    "numpy",
    "pandas",
    "torch",
}
TASKS = {"regression": 1, "binary": 1, "multiclass": 3}


@pytest.fixture(scope="module")
def boston():
    return data.load("boston", split="course", features=["RM", "LSTAT", "CRIM"])


def _namespace(source: str) -> dict:
    ns = {"__name__": "exported"}  # not "__main__": main() does not run
    exec(compile(source, "run.py", "exec"), ns)  # noqa: S102 (our own generated code)
    return ns


def _config(kind: str = "mlp", **changes) -> ModelConfig:
    if kind == "cnn":
        base = ModelConfig(
            (28, 28), 10, "multiclass", kind="cnn", hidden=(8,), conv_channels=(3, 5)
        )
    elif kind in ("rnn", "lstm", "gru"):  # the marked_sum task's (steps, value and marker)
        base = ModelConfig((10, 2), 1, "regression", kind=kind, hidden=(6, 6))
    else:
        base = ModelConfig((3,), 1, "regression", hidden=(6, 5))
    return dataclasses.replace(base, **changes)


def _spec(cfg: ModelConfig, boston) -> export.DataSpec:
    if cfg.input_shape == (28, 28):
        return export.DataSpec("mnist", (), tuple(str(d) for d in range(10)), n_train=5, n_valid=5)
    if cfg.input_shape == (10, 2):
        classes = None if cfg.task == "regression" else ("0", "1")
        return export.DataSpec("marked_sum", ("value", "marker"), classes, n_train=5, n_valid=5)
    classes = None if cfg.task == "regression" else tuple("abc"[: max(2, cfg.n_outputs)])
    return dataclasses.replace(data_spec(boston), class_names=classes)


@pytest.mark.parametrize("kind", ["mlp", "cnn", "lstm"])
@pytest.mark.parametrize("task", list(TASKS))
def test_every_setting_gives_valid_python_importing_only_torch_numpy_pandas(kind, task, boston):
    for activation in BUILDER_ACTIVATIONS:
        # Every optimizer once per activation; the losses and init schemes cycle along.
        for i, optimizer in enumerate(OPTIMIZERS):
            loss, init = LOSSES[i % len(LOSSES)], INITS[i % len(INITS)]
            cfg = _config(kind, activation=activation, init=init)
            if kind != "cnn":
                cfg = dataclasses.replace(cfg, task=task, n_outputs=TASKS[task])
            tc = TrainConfig(optimizer=optimizer, loss=loss, early_stopping=2, clip_grad=0.5)
            tree = ast.parse(export_script(cfg, tc, _spec(cfg, boston)))
            imported = {
                alias.name.split(".")[0]
                for node in ast.walk(tree)
                if isinstance(node, ast.Import | ast.ImportFrom)
                for alias in node.names
            } | {
                node.module.split(".")[0]
                for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom)
            }
            assert imported <= ALLOWED_IMPORTS


@pytest.mark.parametrize(
    "cfg",
    [
        _config(batchnorm=True, dropout=0.2, init="xavier"),
        _config(activation="elu", init="he", hidden=(4, 4, 4)),
        _config("cnn", batchnorm=True, init="he", kernel_size=5),
        dataclasses.replace(_config("cnn"), kind="mlp", hidden=(7,)),
        _config(target_mean=301234.5678, target_std=55321.0123),  # Your data's large target
        _config("lstm", forget_bias=2.0, init="xavier"),
        _config("gru", hidden=(5,)),
        _config("rnn", init="he"),
    ],
)
def test_net_has_the_builders_initial_weights_and_state_dict_order(cfg, boston):
    ns = _namespace(export_script(cfg, TrainConfig(seed=5), _spec(cfg, boston)))
    torch.manual_seed(5)
    net = ns["Net"]()
    if "init_weights" in ns:
        ns["init_weights"](net)
    torch.manual_seed(5)
    reference = build_model(cfg).state_dict()
    mine = net.state_dict()
    assert len(mine) == len(reference)
    for (name, value), ref in zip(mine.items(), reference.values(), strict=True):
        assert value.shape == ref.shape and torch.equal(value, ref), name
    first = {"cnn": "conv1.weight", "mlp": "fc1.weight"}.get(cfg.kind, f"{cfg.kind}.weight_ih_l0")
    assert list(mine)[0] == first
    with torch.no_grad():  # and the same function: equal outputs for the same input
        X = torch.randn(4, *cfg.input_shape)
        net.load_state_dict(dict(zip(mine, reference.values(), strict=True)))
        model = build_model(cfg).eval()
        model.load_state_dict(reference)
        assert torch.allclose(net.eval()(X), model(X), atol=1e-6)


@pytest.mark.parametrize(
    "cfg",
    [_config("cnn", batchnorm=True), _config(dropout=0.5, target_mean=3e5, target_std=5.5e4)],
)
def test_every_shape_comment_is_the_layers_real_output_shape(cfg, boston):
    source = export_script(cfg, TrainConfig(), _spec(cfg, boston))
    forward = source[source.index("    def forward") : source.index("        return x")]
    comments = re.findall(r"# \(N, ([0-9, ]+)\)", forward)
    assert len(comments) == forward.count("x = ") >= 4
    # Each commented line asserts its own comment, then the forward pass runs.
    checked = re.sub(
        r"(x = .*?)\s+# \(N, ([0-9, ]+)\)",
        r"\1; assert tuple(x.shape[1:]) == (\2,), (\2,)",
        source,
    )
    ns = _namespace(checked)
    net = ns["Net"]().eval()
    with torch.no_grad():
        net(torch.zeros((2, *cfg.input_shape)))


def test_unsupported_models_and_settings_are_coded_errors(boston, monkeypatch):
    spec = data_spec(boston)
    with pytest.raises(CodedError) as kind:
        export_script(dataclasses.replace(_config(), kind="transformer"), TrainConfig(), spec)
    assert kind.value.code == "export_kind_unsupported"
    assert kind.value.params == {"kind": "transformer"}
    with pytest.raises(CodedError) as table:  # a recurrent network needs sequences
        export_script(dataclasses.replace(_config(), kind="lstm"), TrainConfig(), spec)
    assert table.value.code == "recurrent_needs_sequence"
    with pytest.raises(CodedError) as opt:
        export_script(_config(), TrainConfig(optimizer="lbfgs"), spec)
    assert opt.value.code == "export_optimizer_unsupported"
    monkeypatch.setattr(export, "SCRIPT_SETTINGS", export.SCRIPT_SETTINGS - {"clip_grad"})
    with pytest.raises(CodedError) as setting:
        export_script(_config(), TrainConfig(clip_grad=1.0), spec)
    assert setting.value.params == {"setting": "clip_grad"}
    for error in (kind.value, opt.value, setting.value, table.value):  # the UI words them too
        assert "{" not in Translator("en")(f"errors.{error.code}", **error.params)
        assert Translator("zh-TW")(f"errors.{error.code}", **error.params) != str(error)
    for error in (opt.value, setting.value, table.value):  # ... as the CLI does
        assert Translator("en")(f"errors.{error.code}", **error.params) == str(error)


def test_the_script_writes_the_training_constants_and_the_data_command(boston):
    cfg = ModelConfig((3,), 1, "regression", hidden=(4,))
    script = export_script(cfg, TrainConfig(lr=0.02, batch_size=8, epochs=3), boston)
    for text in ("LR = 0.02", "BATCH_SIZE = 8", "EPOCHS = 3", "N_TRAIN, N_VALID = 400, 106"):
        assert text in script
    # The means are the training rows' own, written in as float32 values.
    mean = re.search(r"MEAN = np.array\(\[(.*?)\]", script).group(1).split(", ")
    assert [float(torch.tensor(float(m))) for m in mean] == pytest.approx(
        boston.feature_mean.tolist(), rel=1e-7
    )
    assert "torch.set_num_threads(1)" in script  # a tiny step: one thread, as the app
    assert data_command(data_spec(boston)) == (
        "python -m data export boston DATA --split course --features RM,LSTAT,CRIM"
    )
    mnist = export.DataSpec("mnist", (), options=(("n_train", 500), ("n_valid", None)))
    assert data_command(mnist) == "python -m data export mnist DATA --n-train 500"
    assert data_command(export.DataSpec("houses", ("a",))) is None


def test_export_from_a_saved_file_and_the_command(tmp_path, boston, capsys):
    cfg = ModelConfig((3,), 1, "regression", hidden=(4,))
    path = tmp_path / "m.pth"
    save_model(build_model(cfg), path, train_config=TrainConfig(epochs=4), dataset=boston)
    assert "EPOCHS = 4" in export_model_file(path)
    assert main([str(path), "--out", str(tmp_path / "run.py")]) == 0
    assert (tmp_path / "run.py").read_text(encoding="utf-8") == export_model_file(path)
    assert main([str(tmp_path / "missing.pth")]) == 2
    (tmp_path / "bad.pth").write_bytes(b"not a model")
    assert main([str(tmp_path / "bad.pth"), "--out", "-"]) == 2
    assert "error:" in capsys.readouterr().err


def test_a_file_saved_before_the_export_existed_still_exports(tmp_path, boston):
    """Old files lack the row counts and the data options: the script just skips its row check."""
    cfg = ModelConfig((3,), 1, "regression", hidden=(4,))
    path = tmp_path / "old.pth"
    save_model(build_model(cfg), path, train_config=TrainConfig(), dataset=boston)
    payload = torch.load(path, weights_only=True)
    meta = json.loads(payload["meta"])
    for key in ("n_train", "n_valid", "options"):
        del meta["dataset"][key]
    torch.save({"meta": json.dumps(meta), "state_dict": payload["state_dict"]}, path)
    script = export_model_file(path)
    assert "N_TRAIN, N_VALID = None, None" in script
    _namespace(script)


def test_a_standardized_target_is_written_as_constants_and_predicts_as_the_app(boston):
    cfg = _config(target_mean=301234.5678, target_std=55321.0123)
    script = export_script(cfg, TrainConfig(), _spec(cfg, boston))
    assert "TARGET_MEAN, TARGET_STD = 301234.5678, 55321.0123" in script
    assert "x = x * TARGET_STD + TARGET_MEAN" in script
    assert "TARGET_MEAN" not in export_script(_config(), TrainConfig(), _spec(cfg, boston))
    ns = _namespace(script)
    model = build_model(cfg).eval()
    net = ns["Net"]().eval()
    net.load_state_dict(dict(zip(net.state_dict(), model.state_dict().values(), strict=True)))
    X = torch.randn(5, 3)
    with torch.no_grad():
        assert torch.equal(net(X), model(X))


class _CheckedTorch:
    """The script's `torch`, except that from_numpy refuses read-only arrays (it warns once)."""

    def __getattr__(self, name):
        return getattr(torch, name)

    @staticmethod
    def from_numpy(array):
        assert array.flags.writeable, "torch.from_numpy of a read-only array (pandas 3's CoW)"
        return torch.from_numpy(array)


@pytest.mark.parametrize(
    "name, options",
    [
        ("xor", {}),
        ("iris", {}),
        ("boston", {}),
        ("mnist", {"n_train": 20, "n_valid": 10}),
        ("first_symbol", {"seq_len": 5, "n_sequences": 20}),
        ("marked_sum", {"seq_len": 5, "n_sequences": 20}),
    ],
)
def test_every_labs_loading_gives_writable_tensors_without_a_warning(name, options, tmp_path):
    import contextlib
    import warnings

    import pandas as pd

    from data.export import write_csv_files

    ds = data.load(name, **options)
    kind = "lstm" if name in export.SEQUENCE_TASKS else "mlp"
    cfg = ModelConfig(ds.input_shape, ds.n_outputs, ds.task, kind=kind, hidden=(4,))
    ns = _namespace(export_script(cfg, TrainConfig(), ds))
    ns["torch"] = _CheckedTorch()
    train_file = write_csv_files(ds, tmp_path)[0]
    # pandas 3 always copies on write; an older one is asked to (the option is gone in 4).
    old = int(pd.__version__.split(".")[0]) < 3
    cow = pd.option_context("mode.copy_on_write", True) if old else contextlib.nullcontext()
    with warnings.catch_warnings(), cow:
        warnings.simplefilter("error")  # the UserWarning "NumPy array is not writable"
        X, y = ns["load_split"](str(train_file))
    X[0] = X[0]  # both are the script's own memory, free to change
    y[0] = y[0]
    assert len(X) == len(y) == len(ds.y_train)


@pytest.mark.parametrize("task", list(TASKS))
def test_the_comments_say_what_the_output_is_for_each_task(task, boston):
    cfg = dataclasses.replace(_config(), task=task, n_outputs=TASKS[task])
    script = export_script(cfg, TrainConfig(), _spec(cfg, boston))
    output_layer = next(line for line in script.splitlines() if "output layer" in line)
    loss_doc = script[script.index("def compute_loss") :].splitlines()[1]
    if task == "regression":
        assert "logit" not in script
        assert output_layer.endswith("# output layer: the predicted value")
        assert "mean squared error" in loss_doc
    else:
        assert "logit" in output_layer and "logit" in loss_doc
    scaled = dataclasses.replace(_config(), target_mean=3e5, target_std=5.5e4)
    scaled_script = export_script(scaled, TrainConfig(), _spec(scaled, boston))
    assert "# output layer: the predicted value, standardized" in scaled_script


def test_the_docstring_says_where_the_data_comes_from(boston):
    from pathlib import Path

    from data.csv_table import read_table
    from data.csv_table_dataset import table_dataset
    from lessons.registry import LABS, lab

    rows = "".join(f"{i},{i % 7},{2 * i + 1}\n" for i in range(40))
    mine = table_dataset(read_table(("a,b,price\n" + rows).encode())[0], "price", ["a", "b"])
    cfg = ModelConfig((2,), 1, "regression", hidden=(4,))
    header = export_script(cfg, TrainConfig(), mine).split('"""')[1]
    assert "the files you trained on" not in header
    assert "nnlab_your_data_data.zip" in header and "unzip" in header and "DATA" in header
    header = export_script(_config(), TrainConfig(), boston).split('"""')[1]
    assert "nnlab_boston_data.zip" in header
    assert data_command(data_spec(boston)) in header
    # The zip names are the Code view's download names, nnlab_{lab key}_data.zip.
    assert (
        'file_name=f"nnlab_{key}_data.zip"'
        in (Path(__file__).parents[1] / "ui/code_view.py").read_text()
    )
    for name in ("xor", "iris", "boston", "mnist", "your_data"):
        assert export.lab_zip_name(name) == f"nnlab_{lab(name).key}_data.zip"
    for entry in LABS:  # every lab with data of its own, a new one too
        if entry.dataset is not None:
            assert export.lab_zip_name(entry.dataset) == f"nnlab_{entry.key}_data.zip"
    rnn_zip = f"nnlab_{lab('rnn').key}_data.zip"
    assert {export.lab_zip_name(t) for t in export.SEQUENCE_TASKS} == {rnn_zip}
    waves = export.DataSpec("noisy_wave", ("x",), options=(("n_sequences", 500), ("seq_len", 20)))
    assert data_command(waves) == (
        "python -m data export noisy_wave DATA --seq-len 20 --n-sequences 500"
    )
    ua = f"nnlab_{lab('universal_approximation').key}_data.zip"
    assert export.lab_zip_name("universal approximation: sine") == ua
