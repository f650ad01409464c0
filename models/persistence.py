"""Saving and loading a model: its state_dict plus a JSON description.

The slides save `model.state_dict()` with torch.save and rebuild the model
before `load_state_dict`. We do the same, and store the JSON needed to rebuild
it in the same file, so one .pth file is a complete, shareable model.

Loading uses `torch.load(..., weights_only=True)`: only tensors and plain
containers are unpickled, so a file crafted to run code when unpickled is
refused instead of executed.
"""

from __future__ import annotations

import io
import json
import pickle
import warnings
from pathlib import Path
from typing import IO, Any

import torch

from data.errors import CodedError
from models.builders import Network, build_model
from models.config import ModelConfig, TrainConfig

FORMAT = "nnlab-model"
FORMAT_VERSION = 1


NOT_PYTORCH = (
    "This is not a PyTorch model file (it could not be read as one). "
    "Choose a .pth file downloaded from NN Lab."
)


class ModelFileError(CodedError):
    """A model file that can't be used, with a message a student can act on (and a code)."""


def save_model(
    model: Network,
    path: str | Path | IO[bytes],
    train_config: TrainConfig | None = None,
    dataset: Any = None,
    history: Any = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """Write `model`'s weights and a JSON description (architecture, training, data) to `path`.

    `dataset`, if given, contributes what is needed to use the model later:
    feature names, class names and the training-set standardization.
    """
    meta: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "model_config": model.config.to_dict(),
        "train_config": train_config.to_dict() if train_config else None,
        "extra": extra or {},
    }
    if dataset is not None:
        meta["dataset"] = {
            "name": dataset.name,
            "split": getattr(dataset, "split", None),
            "feature_names": list(dataset.feature_names)[:1000],
            "class_names": dataset.class_names,
            "feature_mean": None if dataset.feature_mean is None else dataset.feature_mean.tolist(),
            "feature_std": None if dataset.feature_std is None else dataset.feature_std.tolist(),
        }
    if history is not None:
        meta["history"] = {"epochs": history.to_dict()["epochs"]}
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    torch.save({"meta": json.dumps(meta), "state_dict": state}, path)


def model_to_bytes(model: Network, **kwargs: Any) -> bytes:
    """save_model into memory, e.g. for a download button."""
    buf = io.BytesIO()
    save_model(model, buf, **kwargs)
    return buf.getvalue()


def _read_payload(source: str | Path | IO[bytes] | bytes) -> dict[str, Any]:
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    try:
        with warnings.catch_warnings():
            # Foreign files trigger pickle-protocol warnings; the error below says it better.
            warnings.simplefilter("ignore", UserWarning)
            payload = torch.load(source, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise ModelFileError(
            "model_file_missing", f"There is no model file at {source}.", path=str(source)
        ) from None
    except pickle.UnpicklingError as exc:
        if "GLOBAL" in str(exc).upper():
            raise ModelFileError(
                "model_file_unsafe",
                "This file contains Python objects other than weights, which could run code when "
                "opened, so it was not loaded. Only models saved by NN Lab (weights + JSON) can be opened.",
            ) from None
        raise ModelFileError("model_file_not_pytorch", NOT_PYTORCH) from None
    except Exception:
        raise ModelFileError("model_file_not_pytorch", NOT_PYTORCH) from None
    if not isinstance(payload, dict) or "meta" not in payload or "state_dict" not in payload:
        raise ModelFileError(
            "model_file_not_nnlab",
            "This is a PyTorch file, but not an NN Lab model: it has no description of the "
            "architecture. NN Lab needs a file saved by NN Lab (weights + JSON config).",
        )
    return payload


def load_model_file(source: str | Path | IO[bytes] | bytes) -> tuple[Network, dict[str, Any]]:
    """Rebuild a model from a file written by save_model; return (model, metadata dict)."""
    payload = _read_payload(source)
    try:
        meta = json.loads(payload["meta"])
        config = ModelConfig.from_dict(meta["model_config"])
    except (TypeError, KeyError, ValueError) as exc:
        raise ModelFileError(
            "model_file_damaged",
            f"The model description in this file is damaged ({exc}).",
            detail=str(exc),
        ) from None
    if meta.get("format") != FORMAT:
        raise ModelFileError("model_file_foreign", "This file was not written by NN Lab.")
    try:
        model = build_model(config)
    except ValueError as exc:
        # The UI's sentence has no room for the builder's own (its code is on __cause__).
        raise ModelFileError(
            "model_file_architecture", f"The architecture in this file can't be built: {exc}"
        ) from exc
    try:
        model.load_state_dict(payload["state_dict"])
    except (RuntimeError, TypeError) as exc:
        # torch's message starts with a bare "Error(s) in loading state_dict for Network:"
        # header; the useful part (which layer, which sizes) is on the lines after it.
        details = " ".join(line.strip() for line in str(exc).splitlines()[1:] if line.strip())
        details = details[:300] or str(exc)[:300]
        raise ModelFileError(
            "model_file_weights_mismatch",
            "The weights in this file do not fit the architecture it describes "
            f"(different layer sizes or layers). Details: {details}",
            detail=details,
        ) from None
    model.eval()
    return model, meta


def load_model(source: str | Path | IO[bytes] | bytes) -> Network:
    """Rebuild and return the model saved at `source` (path, file object or bytes)."""
    return load_model_file(source)[0]


def check_compatible(model: Network, dataset: Any) -> None:
    """Raise ModelFileError if `model` can't be used on `dataset` (inputs, outputs or task differ)."""
    cfg = model.config
    model_shape, data_shape = tuple(cfg.input_shape), tuple(dataset.input_shape)
    if model_shape != data_shape:
        raise ModelFileError(
            "model_input_shape",
            f"This model expects inputs of shape {model_shape}, but the {dataset.name} data "
            f"has shape {data_shape}. It was trained for a different lab or feature set.",
            model_shape=model_shape,
            data_shape=data_shape,
            dataset=dataset.name,
        )
    if cfg.task != dataset.task or cfg.n_outputs != dataset.n_outputs:
        # The code names the model's task, so the UI can word it; tasks are not params.
        same = cfg.task == dataset.task
        raise ModelFileError(
            "model_outputs_mismatch" if same else f"model_task_{cfg.task}",
            f"This model solves a {cfg.task} task with {cfg.n_outputs} output(s), but this lab is "
            f"{dataset.task} with {dataset.n_outputs}. It was trained for a different lab.",
            model_outputs=cfg.n_outputs,
            data_outputs=dataset.n_outputs,
        )
