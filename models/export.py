"""A run as one standalone PyTorch script ("Show the code"), and its command line.

    python -m models.export MODEL.pth --out run.py
    python -m data export boston DATA --split course
    python run.py --data DATA --json

`export_script(model_config, train_config, dataset)` writes the script for the
current settings (a Dataset, or the "dataset" part of a saved model's JSON);
`export_model_file(path)` does it for a .pth saved by NN Lab. The script imports
only torch, numpy, pandas and the standard library, and repeats what NN Lab does
in the same order (models/export_loop.py), so it trains the same weights.
"""

from __future__ import annotations

import argparse
import math
import shlex
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

from data.csv_mnist import is_upload
from data.errors import CodedError
from data.export import file_names, is_image, is_sequence, target_column
from data.sequences import SEQUENCE_TASKS  # the RNN lab's data
from models.config import ModelConfig, TrainConfig
from models.export_loop import main_code
from models.export_net import check_exportable, has_target_scale, net_source
from models.export_parts import (
    IMPORTS,
    evaluate_code,
    image_data_code,
    init_code,
    loss_code,
    optimizer_code,
    sequence_data_code,
    table_data_code,
)
from models.export_paths import output_problem
from models.export_reading import LABELS_CODE, READING_CODE

BUILT_IN = ("xor", "iris", "boston", "mnist", *SEQUENCE_TASKS)
# TrainConfig fields the script reproduces; a new field with a non-default value
# (a setting added after this file) is refused rather than silently ignored.
SCRIPT_SETTINGS = {
    "optimizer",
    "lr",
    "weight_decay",
    "batch_size",
    "epochs",
    "seed",
    "loss",
    "early_stopping",
    "device",
    "clip_grad",
}


@dataclass(frozen=True)
class DataSpec:
    """What the script needs to know about the data (hashable, so it can key a cache)."""

    name: str
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...] | None = None
    feature_mean: tuple[float, ...] | None = None
    feature_std: tuple[float, ...] | None = None
    split: str | None = None
    n_train: int | None = None
    n_valid: int | None = None
    options: tuple[tuple[str, Any], ...] = field(default_factory=tuple)


def _floats(values: Any) -> tuple[float, ...] | None:
    return None if values is None else tuple(float(v) for v in np.asarray(values).ravel())


def _frozen(options: dict[str, Any] | None) -> tuple[tuple[str, Any], ...]:
    items = (options or {}).items()
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in items))


def data_spec(dataset: Any) -> DataSpec:
    """A DataSpec from a Dataset, or from the "dataset" dict of a saved model's JSON."""
    if isinstance(dataset, dict):
        d = dataset
        return DataSpec(
            name=str(d.get("name") or "csv"),
            feature_names=tuple(d.get("feature_names") or ()),
            class_names=tuple(d["class_names"]) if d.get("class_names") else None,
            feature_mean=_floats(d.get("feature_mean")),
            feature_std=_floats(d.get("feature_std")),
            split=d.get("split"),
            n_train=d.get("n_train"),
            n_valid=d.get("n_valid"),
            options=_frozen(d.get("options")),
        )
    return DataSpec(
        name=dataset.name,
        feature_names=tuple(dataset.feature_names),
        class_names=tuple(dataset.class_names) if dataset.class_names else None,
        feature_mean=_floats(dataset.feature_mean),
        feature_std=_floats(dataset.feature_std),
        split=getattr(dataset, "split", None),
        n_train=len(dataset.X_train),
        n_valid=len(dataset.X_valid),
        options=_frozen(getattr(dataset, "options", None)),
    )


def data_command(spec: DataSpec, folder: str = "DATA") -> str | None:
    """The `python -m data export ...` command that writes these rows, None for other data."""
    options = dict(spec.options)
    if spec.name not in BUILT_IN or is_upload(options):  # a student's own MNIST CSV
        return None
    words = ["python", "-m", "data", "export", spec.name, folder]
    if spec.split and spec.split != "recommended":
        words += ["--split", spec.split]
    if options.get("features") and spec.name in ("iris", "boston"):
        words += ["--features", ",".join(options["features"])]
    if spec.name == "xor" and options.get("n_per_corner"):
        words += ["--n-per-corner", str(options["n_per_corner"])]
        words += ["--noise", str(options.get("noise", 0.0))]
    for key in ("seq_len", "n_sequences", "noise"):
        if spec.name in SEQUENCE_TASKS and options.get(key) is not None:
            words += [f"--{key.replace('_', '-')}", str(options[key])]
    for key in ("n_train", "n_valid"):
        takes = ("mnist", "boston") if key == "n_train" else ("mnist",)
        if spec.name in takes and options.get(key):
            words += [f"--{key.replace('_', '-')}", str(options[key])]
    return " ".join(shlex.quote(w) for w in words)


def _check_settings(tc: TrainConfig) -> None:
    defaults = TrainConfig()
    for f in fields(TrainConfig):
        if f.name not in SCRIPT_SETTINGS and getattr(tc, f.name) != getattr(defaults, f.name):
            raise CodedError(
                "export_setting_unsupported",
                f"The code view cannot write the setting {f.name!r} yet.",
                setting=f.name,
            )


def step_flops(mc: ModelConfig, batch_size: int) -> int:
    """A training step's matmul and convolution FLOPs, counted as models/threads.py counts them."""
    flops = 0
    if mc.kind not in ("mlp", "cnn"):  # recurrent: models/threads.py counts only the Linear head
        return 3 * batch_size * 2 * mc.hidden[-1] * mc.n_outputs
    if mc.kind == "cnn":
        height, width = mc.input_shape
        channels = 1
        for out_ch in mc.conv_channels:
            flops += 2 * out_ch * height * width * channels * mc.kernel_size**2
            channels, height, width = out_ch, height // 2, width // 2
        n_in = channels * height * width
    else:
        n_in = math.prod(mc.input_shape)
    for width in (*mc.hidden, mc.n_outputs):
        flops += 2 * width * n_in
        n_in = width
    return 3 * batch_size * flops


def _array(values: tuple[float, ...]) -> str:
    text = ", ".join(str(np.float32(v)) for v in values)
    return f"np.array([{text}], dtype=np.float32)"


def lab_zip_name(name: str) -> str | None:
    """The file name of the lab's "Download the data" zip for data `name`, None if unknown.

    The Code view (ui/code_view.py) names it nnlab_{lab key}_data.zip.
    """
    from lessons.registry import LABS, lab
    from lessons.universal_approximation import DATASET_NAME

    for entry in LABS:
        if entry.controls is not None and name in (entry.dataset, *entry.more_datasets, entry.name):
            return f"nnlab_{entry.key}_data.zip"
    if name.startswith(DATASET_NAME + ":"):  # one data set per curve, named after it
        return f"nnlab_{lab('universal_approximation').key}_data.zip"
    return None


def _header(mc: ModelConfig, spec: DataSpec, source: str) -> str:
    command = data_command(spec)
    train_file, valid_file = file_names(mc.input_shape)
    zip_name = lab_zip_name(spec.name)
    download = 'the lab\'s "Download the data (CSV files, zip)" button'
    if zip_name:
        download += f" ({zip_name})"
    get_data = f"Get them with {download},\nunzipped into a folder DATA"
    if zip_name:
        get_data += f" (e.g. `unzip {zip_name} -d DATA`)"
    if command:
        get_data += f",\nor in NN Lab's folder with:\n    {command}\n"
    else:
        # A table uploaded to the app exists only there: the zip holds the rows it used.
        get_data += ":\nits two files hold the rows NN Lab trained and validated on.\n"
    return (
        f'"""{spec.name} ({mc.kind.upper()}): a network trained in NN Lab, as a standalone '
        "PyTorch script.\n\n"
        f"Written by {source}. It trains the same network on the same rows, with the\n"
        "same settings and seed, with the same thread count, as the app, and reaches the same\n"
        "validation metric.\n\n"
        f"The data: the CSV files {train_file} and {valid_file} in a folder DATA.\n"
        f"{get_data}"
        "Then, with this script beside DATA:\n"
        "    python run.py --data DATA --json\n\n"
        "It needs only torch, numpy and pandas.\n"
        '"""\n'
    )


def _settings(mc: ModelConfig, tc: TrainConfig, spec: DataSpec) -> str:
    lines = [
        "# ---- Settings (the lab's sidebar) ----",
        f"SEED = {tc.seed}  # initial weights, dropout and the order of the mini-batches",
        f"EPOCHS = {tc.epochs}  # training epochs",
        f"BATCH_SIZE = {tc.batch_size}",
        f"LR = {tc.lr!r}  # learning rate",
        f"WEIGHT_DECAY = {tc.weight_decay!r}  # L2 penalty on the weights",
    ]
    if tc.early_stopping is not None:
        lines.append(f"EARLY_STOPPING = {tc.early_stopping}  # patience, in epochs")
    if tc.clip_grad > 0:
        lines.append(f"CLIP_GRAD = {tc.clip_grad!r}  # the gradient's largest norm")
    train_file, valid_file = file_names(mc.input_shape)
    lines += [
        "",
        "# ---- Data ----",
        f'TRAIN_FILE, VALID_FILE = "{train_file}", "{valid_file}"',
        f"N_TRAIN, N_VALID = {spec.n_train}, {spec.n_valid}  # the rows NN Lab used",
    ]
    if is_sequence(mc.input_shape):
        lines.append(f"STEPS = {mc.input_shape[0]}  # steps per sequence, each step holds FEATURES")
    if not is_image(mc.input_shape):
        lines.append(f"FEATURES = {list(spec.feature_names)!r}")
        lines.append(f"TARGET = {target_column(spec.name, dict(spec.options))!r}")
    if spec.class_names and mc.task != "regression":
        lines.append(f"CLASSES = {list(spec.class_names)!r}  # class index -> name")
    if spec.feature_mean is not None and spec.feature_std is not None:
        lines += [
            "# Standardization: each feature's mean and standard deviation over the TRAINING rows.",
            f"MEAN = {_array(spec.feature_mean)}",
            f"STD = {_array(spec.feature_std)}",
        ]
    if has_target_scale(mc):
        lines += [
            "# The network learns the target standardized; its last step multiplies by the",
            "# training rows' std and adds their mean, so it predicts in the target's units.",
            f"TARGET_MEAN, TARGET_STD = {mc.target_mean!r}, {mc.target_std!r}",
        ]
    return "\n".join(lines) + "\n"


def export_script(
    model_config: ModelConfig,
    train_config: TrainConfig,
    dataset: Any,
    source: str = "NN Lab's code view",
) -> str:
    """The standalone training script for these settings and data, as Python source text.

    `dataset` is a Dataset or the "dataset" dict of a saved model's JSON. Raises
    CodedError for an architecture or a setting the script cannot reproduce.
    """
    # Imports torch: not needed for `--help`.
    from models.threads import SMALL_STEP_FLOPS, live_threads

    mc, tc = model_config, train_config
    check_exportable(mc)
    _check_settings(tc)
    spec = dataset if isinstance(dataset, DataSpec) else data_spec(dataset)
    optimizer = optimizer_code(tc.optimizer)
    standardize = spec.feature_mean is not None and spec.feature_std is not None
    if is_sequence(mc.input_shape):
        data = sequence_data_code(mc.task)
    elif is_image(mc.input_shape):
        data = image_data_code(mc.task)
    else:
        data = table_data_code(mc.task, standardize)
    blocks = [
        _header(mc, spec, source),
        IMPORTS,
        _settings(mc, tc, spec),
        READING_CODE,
        LABELS_CODE if mc.task != "regression" and not is_image(mc.input_shape) else "",
        data,
        net_source(mc) + "\n",
        init_code(mc.init),
        loss_code(mc.task, tc.loss),
        evaluate_code(mc.task),
        main_code(
            mc.task,
            optimizer,
            mc.init != "default",
            mc.batchnorm,
            tc.clip_grad,
            tc.early_stopping,
            threads=live_threads(1),
            small_step=step_flops(mc, tc.batch_size) < SMALL_STEP_FLOPS,
        ),
    ]
    # Two blank lines between blocks, as PEP 8 puts them between top-level definitions.
    return "\n\n\n".join(b.rstrip("\n") for b in blocks if b) + "\n"


def export_model_file(path: str | Path) -> str:
    """The script for a model file saved by NN Lab (ModelFileError if it is not one)."""
    from models.persistence import load_model_file  # torch only once a file is read

    model, meta = load_model_file(path)
    tc = TrainConfig.from_dict(meta.get("train_config") or {})
    return export_script(model.config, tc, meta.get("dataset") or {}, "python -m models.export")


def main(argv: list[str] | None = None) -> int:
    """`python -m models.export MODEL.pth --out run.py`; returns 0, or 2 for a bad file or --out."""
    parser = argparse.ArgumentParser(
        prog="python -m models.export",
        description="Write a model saved by NN Lab as a standalone PyTorch training script.",
    )
    parser.add_argument("model", help="a .pth file saved by NN Lab")
    parser.add_argument(
        "--out",
        default="run.py",
        help="the script to write (default: run.py; '-' prints it); "
        "an existing file is kept unless --force",
    )
    parser.add_argument("--force", action="store_true", help="overwrite an existing --out file")
    args = parser.parse_args(argv)
    # Checked before the model file is read: a mistyped folder or a script the student
    # edited is answered with one line, and nothing is overwritten without --force.
    problem = None if args.out == "-" else output_problem(args.out, "--out", "run.py", args.force)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        script = export_model_file(args.model)
        if args.out != "-":
            Path(args.out).write_text(script, encoding="utf-8")
    except (ValueError, OSError) as exc:  # ModelFileError and CodedError are ValueErrors
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.out == "-":
        sys.stdout.write(script)
    else:
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
