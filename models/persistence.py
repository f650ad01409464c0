"""Saving and loading a model: its state_dict plus a JSON description.

The slides save `model.state_dict()` with torch.save and rebuild the model
before `load_state_dict`. We do the same, and store the JSON needed to rebuild
it in the same file, so one .pth file is a complete, shareable model.

Loading uses `torch.load(..., weights_only=True)`: only tensors and plain
containers are unpickled, so a file crafted to run code when unpickled is
refused instead of executed.

A plain state_dict, as the slides' own `torch.save(model.state_dict(), path)`
writes it, has no architecture in it: `load_model(path, model_config=cfg)`
builds `cfg` and fits the file's tensors into it by order and shape
(models/state_dict_match.py). A file NN Lab wrote describes its own
architecture, and that description wins: with or without `model_config`, it
loads as it was saved (`model.config` says what it is), just as the labs
restore their controls from it.
"""

from __future__ import annotations

import io
import json
import pickle
import warnings
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import torch

from models.builders import Network, build_model
from models.config import ModelConfig, TrainConfig
from models.file_meta import check_description
from models.model_file_error import ModelFileError
from models.state_dict_match import (
    StateDictMatch,
    is_pickled_module,
    match_state_dict,
    plain_tensors,
)

FORMAT = "nnlab-model"
FORMAT_VERSION = 1
# meta["format"] of a model rebuilt from a plain state_dict and a ModelConfig.
PLAIN_FORMAT = "state_dict"


UNSAFE = (
    "This file contains Python objects other than weights, which could run code when "
    "opened, so it was not loaded. Only weights can be opened: a model saved by NN Lab "
    "(weights + JSON) or a plain state_dict."
)
NOT_PYTORCH = (
    "This is not a PyTorch model file (it could not be read as one). "
    "Choose a .pth file downloaded from NN Lab."
)


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
            # What the exported script (models/export.py) needs to name and check its data.
            "options": dict(getattr(dataset, "options", None) or {}),
            "n_train": len(dataset.X_train),
            "n_valid": len(dataset.X_valid),
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


def _file_bytes(source: str | Path | IO[bytes]) -> bytes:
    """The raw bytes of `source`, for a look at a refused file (b"" if they can't be had)."""
    try:
        if isinstance(source, str | Path):
            return Path(source).read_bytes()
        source.seek(0)
        return source.read()
    except (OSError, AttributeError, ValueError):
        return b""


def _read_payload(source: str | Path | IO[bytes] | bytes) -> Any:
    """What torch.load(weights_only=True) gives for `source`, or a ModelFileError saying why not."""
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    try:
        with warnings.catch_warnings():
            # Foreign files trigger pickle-protocol warnings; the error below says it better.
            warnings.simplefilter("ignore", UserWarning)
            return torch.load(source, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise ModelFileError(
            "model_file_missing", f"There is no model file at {source}.", path=str(source)
        ) from None
    except pickle.UnpicklingError as exc:
        if "GLOBAL" in str(exc).upper():
            if is_pickled_module(_file_bytes(source)):
                raise ModelFileError(
                    "model_file_pickled_module",
                    f"{UNSAFE} This file is a whole pickled model (torch.save(model)); save its "
                    "weights instead, as the slides do: torch.save(model.state_dict(), "
                    '"model.pth").',
                ) from None
            raise ModelFileError("model_file_unsafe", UNSAFE) from None
        raise unreadable_file_error(_file_bytes(source)) from None
    except Exception:
        raise unreadable_file_error(_file_bytes(source)) from None


def unreadable_file_error(raw: bytes) -> ModelFileError:
    """Why torch could not read `raw`: an empty file, one cut short, or not a model file at all.

    torch.save writes a zip archive; a download or copy that stopped early leaves its
    start ("PK\\x03\\x04") without the directory at its end.
    """
    if not raw:
        return ModelFileError(
            "model_file_empty",
            "This file is empty (0 bytes): its download or copy did not finish. "
            "Download the model again.",
        )
    if raw.startswith(b"PK\x03\x04") and not zipfile.is_zipfile(io.BytesIO(raw)):
        return ModelFileError(
            "model_file_incomplete",
            f"This file is cut short: it begins like a PyTorch model file but ends after "
            f"{len(raw):,} bytes, so its download or copy did not finish. Download the model again.",
            size=len(raw),
        )
    return ModelFileError("model_file_not_pytorch", NOT_PYTORCH)


def _is_nnlab(payload: Any) -> bool:
    return isinstance(payload, dict) and "meta" in payload and "state_dict" in payload


def _load_nnlab(payload: dict[str, Any]) -> tuple[Network, dict[str, Any]]:
    try:
        meta = json.loads(payload["meta"])
    except (TypeError, KeyError, ValueError) as exc:
        # Where, not Python's English sentence: the detail goes into the zh-TW one as it is.
        json_error = isinstance(exc, json.JSONDecodeError)
        raise _damaged(f"JSON {exc.lineno}:{exc.colno}" if json_error else "meta") from None
    if isinstance(meta, dict) and meta.get("format") != FORMAT:
        raise ModelFileError("model_file_foreign", "This file was not written by NN Lab.")
    check_description(meta)  # before anything reads it: a section of any type is named
    try:
        config = ModelConfig.from_dict(meta["model_config"])
    except (TypeError, ValueError):
        raise _damaged("model_config") from None
    try:
        # First on the meta device, which allocates nothing: a description of 200,000 × 200,000
        # hidden neurons asked for 160 GB. Its tensors' shapes are checked against the file's,
        # so the real network below is no bigger than the weights the file holds.
        with torch.device("meta"):
            probe = build_model(config)
    except (ValueError, TypeError, RuntimeError) as exc:  # RuntimeError: -1 outputs, say
        # The UI's sentence has no room for the builder's own (its code is on __cause__).
        raise ModelFileError(
            "model_file_architecture", f"The architecture in this file can't be built: {exc}"
        ) from exc
    details = weights_mismatch_detail(probe.state_dict(), payload["state_dict"])
    try:
        if not details:  # else the real network is not even built
            model = build_model(config)
            model.load_state_dict(payload["state_dict"])
    except (RuntimeError, TypeError) as exc:  # a tensor of the right shape that won't load
        # torch's message starts with a bare "Error(s) in loading state_dict for Network:" header.
        lines = " ".join(line.strip() for line in str(exc).splitlines()[1:] if line.strip())
        details = lines[:300] or str(exc)[:300]
    if details:
        raise ModelFileError(
            "model_file_weights_mismatch",
            "The weights in this file do not fit the architecture it describes "
            f"(different layer sizes or layers). Details: {details}",
            detail=details,
        )
    model.eval()
    return model, meta


def _damaged(detail: str) -> ModelFileError:
    return ModelFileError(
        "model_file_damaged",
        f"The model description in this file is damaged ({detail}).",
        detail=detail,
    )


def weights_mismatch_detail(wanted: Mapping[str, Any], held: Any) -> str:
    """How a file's tensors (`held`) differ from a network's (`wanted`), in names and shapes.

    The same in every language, unlike torch's message: "0.weight (6, 2) ≠ (8, 2)" for the
    file's shape against the network's, "−name" for a tensor the file lacks, "+name" for one
    the network has no place for. Empty when every name and shape agrees.
    """
    if not isinstance(held, Mapping):
        return "state_dict"
    parts = [
        f"{name} ({_shape(held[name])}) ≠ ({_shape(tensor)})"
        for name, tensor in wanted.items()
        if name in held and _shape(held[name]) != _shape(tensor)
    ]
    parts += [f"−{name}" for name in wanted if name not in held]
    parts += [f"+{name}" for name in held if name not in wanted]
    return "; ".join(parts)[:300]


def _shape(tensor: Any) -> str:
    shape = getattr(tensor, "shape", None)
    return "?" if shape is None else ", ".join(str(size) for size in shape)


def _load_plain(payload: Any, config: ModelConfig) -> tuple[Network, dict[str, Any]]:
    model = build_model(config)  # the caller's architecture: its errors are the caller's to word
    match: StateDictMatch = match_state_dict(plain_tensors(payload), model)
    with torch.no_grad():
        model.load_state_dict(match.state)
    model.eval()
    meta = {
        "format": PLAIN_FORMAT,
        "version": FORMAT_VERSION,
        "model_config": config.to_dict(),
        "train_config": None,
        "extra": {"names": [f for f, _ in match.pairs], "reordered": match.reordered},
    }
    return model, meta


def load_model_file(
    source: str | Path | IO[bytes] | bytes, model_config: ModelConfig | None = None
) -> tuple[Network, dict[str, Any]]:
    """Rebuild a model from `source`; return (model, metadata dict).

    A file written by save_model rebuilds its own architecture (`model_config`
    is not used for it). A plain state_dict needs `model_config`: its tensors
    are fitted into that architecture by order and shape, and the metadata's
    "format" is PLAIN_FORMAT. Raises ModelFileError (with a code) otherwise.
    """
    payload = _read_payload(source)
    if _is_nnlab(payload):
        return _load_nnlab(payload)
    if model_config is None:
        raise ModelFileError(
            "model_file_not_nnlab",
            "This is a PyTorch file, but not an NN Lab model: it has no description of the "
            "architecture. Load a plain state_dict with the architecture it was saved from: "
            "models.load_model(path, model_config=ModelConfig(...)).",
        )
    return _load_plain(payload, model_config)


def load_model(
    source: str | Path | IO[bytes] | bytes, model_config: ModelConfig | None = None
) -> Network:
    """Rebuild and return the model saved at `source` (path, file object or bytes).

    `model_config` is the architecture for a plain state_dict (the slides'
    `torch.save(model.state_dict(), path)`), whose tensors are matched to it by
    order and shape; a file NN Lab wrote loads with its own architecture.
    """
    return load_model_file(source, model_config=model_config)[0]


def _columns_text(names: list[str], limit: int = 6) -> str:
    # No words of its own: the text goes into the sentence of either language.
    shown = ", ".join(str(n) for n in names[:limit])
    return shown + (", …" if len(names) > limit else "")


def check_same_table(described: dict | None, dataset: Any) -> None:
    """Raise ModelFileError if a table's model file (`described`: its meta["dataset"]) was
    trained on other columns than `dataset`'s: predictions from other inputs mean nothing.

    Only tables of one's own (their options name a target) are compared: a course dataset's
    columns are rebuilt from the file instead.
    """
    options = (described or {}).get("options") or {}
    here = getattr(dataset, "options", None) or {}
    names = list((described or {}).get("feature_names") or [])
    if "target" not in options or "target" not in here or len(names) >= 1000:
        return  # not two tables, or a list the file cut short
    if options["target"] == here["target"] and names == list(dataset.feature_names):
        return
    file_features, features = _columns_text(names), _columns_text(list(dataset.feature_names))
    raise ModelFileError(
        "model_other_columns",
        f"This model was trained to predict {options['target']} from {file_features}, but this "
        f"table predicts {here['target']} from {features}. Open the table it was trained on "
        "first, then load the model.",
        file_target=str(options["target"]),
        file_features=file_features,
        target=str(here["target"]),
        features=features,
    )


def check_compatible(model: Network, dataset: Any) -> None:
    """Raise ModelFileError if `model` can't be used on `dataset` (inputs, outputs or task differ)."""
    cfg = model.config
    model_shape, data_shape = tuple(cfg.input_shape), tuple(dataset.input_shape)
    if model_shape != data_shape:
        raise ModelFileError(
            "model_input_shape",
            f"This model expects inputs of shape {model_shape}, but this lab's data "
            f"has shape {data_shape}. It was trained for a different lab or feature set.",
            model_shape=model_shape,
            data_shape=data_shape,
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
