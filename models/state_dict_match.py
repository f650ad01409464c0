"""Fitting a plain state_dict (the slides' `torch.save(model.state_dict(), path)`) into a network.

Such a file holds only named tensors. The names are whatever the student's
`class Net` called its layers (`fc1.weight`, `layer.0.weight`, `hidden.weight`
…), and there is no architecture in it. NN Lab builds the architecture from a
ModelConfig and pairs the file's tensors with the network's by ORDER and
SHAPE, never by name:

- A state_dict lists each layer's tensors (weight, bias, and BatchNorm's
  running_mean, running_var, num_batches_tracked) in the order `__init__`
  assigned the layers, which is nearly always the order `forward` uses them.
  NN Lab's networks list theirs in the order they are used, so the two lists
  are compared position by position.
- When `__init__` defined the layers in another order (fc2 before fc1), that
  comparison fails. The file's tensors are then grouped into layers by their
  names' prefixes, and the layers are paired by their shapes. This is done only
  when no two layers have the same shapes, so the pairing is the only one
  possible; otherwise the first difference in file order is reported.
- BatchNorm's num_batches_tracked counter is left out of the pairing: it is
  unused when the network predicts, and a file without it still loads.

Everything else is refused with a coded error: the first tensor whose shape
differs (with both shapes), too few or too many tensors, an empty dict, values
that are not tensors. A file that is a whole pickled module (`torch.save(model)`)
never gets here: `torch.load(weights_only=True)` refuses it, and
`is_pickled_module` tells persistence to add a hint about saving the state_dict.
"""

from __future__ import annotations

import io
import pickletools
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from models.model_file_error import ModelFileError

COUNTER = "num_batches_tracked"
# Checkpoints often wrap the state_dict with the optimizer's and the epoch:
# {"model_state_dict": ..., "optimizer_state_dict": ..., "epoch": 5}.
WRAPPER_KEYS = ("state_dict", "model_state_dict", "model")


@dataclass(frozen=True)
class StateDictMatch:
    """The file's tensors renamed to the network's names, and how they were paired."""

    state: dict[str, torch.Tensor]
    pairs: tuple[tuple[str, str], ...]
    """(name in the file, name in the network) for every paired tensor, in the network's order."""
    reordered: bool
    """True when the layers were paired by shape because the file lists them in another order."""


def _shape(t: torch.Tensor) -> tuple[int, ...]:
    return tuple(int(s) for s in t.shape)


def _is_counter(name: str, tensor: torch.Tensor) -> bool:
    return name.rsplit(".", 1)[-1] == COUNTER and tensor.ndim == 0


def plain_tensors(payload: Any) -> dict[str, torch.Tensor]:
    """The named tensors of a loaded plain state_dict (unwrapping a checkpoint dict), checked.

    Raises ModelFileError for something that is not a dict of tensors, or an empty one.
    """
    if not isinstance(payload, Mapping):
        raise ModelFileError(
            "state_dict_not_dict",
            f"This PyTorch file holds a {type(payload).__name__}, not a state_dict "
            "(a dict of named weight tensors).",
            kind=type(payload).__name__,
        )
    for key in WRAPPER_KEYS:
        inner = payload.get(key)
        if isinstance(inner, Mapping):
            payload = inner
            break
    if not payload:
        raise ModelFileError("state_dict_empty", "This state_dict is empty: it holds no weights.")
    for name, value in payload.items():
        if not isinstance(value, torch.Tensor):
            raise ModelFileError(
                "state_dict_not_tensor",
                f"This state_dict's entry {name!r} is a {type(value).__name__}, not a tensor of "
                "weights.",
                entry=str(name),
                kind=type(value).__name__,
            )
    return {str(k): v for k, v in payload.items()}


def describe_layer(model: nn.Module, name: str) -> str:
    """A model tensor's name as a student reads it: 'Linear(784→128).weight'."""
    prefix, _, part = name.rpartition(".")
    try:
        module = model.get_submodule(prefix) if prefix else model
    except AttributeError:
        return name
    if isinstance(module, nn.Linear):
        what = f"Linear({module.in_features}→{module.out_features})"
    elif isinstance(module, nn.Conv2d):
        k = "×".join(str(s) for s in module.kernel_size)
        what = f"Conv2d({module.in_channels}→{module.out_channels}, {k})"
    elif isinstance(module, nn.modules.batchnorm._BatchNorm):
        what = f"{type(module).__name__}({module.num_features})"
    else:
        what = type(module).__name__
    return f"{what}.{part}"


def _groups(items: list[tuple[str, torch.Tensor]]) -> list[list[tuple[str, torch.Tensor]]]:
    # Consecutive tensors whose names share a prefix ("fc1.weight", "fc1.bias") form one layer.
    groups: list[list[tuple[str, torch.Tensor]]] = []
    for name, tensor in items:
        prefix = name.rpartition(".")[0]
        if groups and groups[-1][0][0].rpartition(".")[0] == prefix:
            groups[-1].append((name, tensor))
        else:
            groups.append([(name, tensor)])
    return groups


def _signature(group: list[tuple[str, torch.Tensor]]) -> tuple[tuple[int, ...], ...]:
    return tuple(_shape(t) for _, t in group)


def _reordered(
    file_items: list[tuple[str, torch.Tensor]], model_items: list[tuple[str, torch.Tensor]]
) -> list[tuple[str, torch.Tensor]] | None:
    """The file's tensors in the network's layer order, if exactly one pairing by shape exists."""
    file_groups, model_groups = _groups(file_items), _groups(model_items)
    by_signature = {_signature(g): g for g in file_groups}
    model_signatures = [_signature(g) for g in model_groups]
    if (
        len(file_groups) != len(model_groups)
        or len(by_signature) != len(file_groups)
        or sorted(by_signature) != sorted(model_signatures)
    ):
        return None
    return [item for sig in model_signatures for item in by_signature[sig]]


def _mismatch(
    model: nn.Module,
    file_items: list[tuple[str, torch.Tensor]],
    model_items: list[tuple[str, torch.Tensor]],
) -> ModelFileError:
    """The error for the first position where the file and the network differ."""
    n_file, n_model = len(file_items), len(model_items)
    for i, ((name, tensor), (model_name, target)) in enumerate(
        zip(file_items, model_items, strict=False)
    ):
        if _shape(tensor) != _shape(target):
            layer = describe_layer(model, model_name)
            return ModelFileError(
                "state_dict_shape_mismatch",
                f"The weights do not fit this architecture: tensor no. {i + 1} of the file, "
                f"{name}, has shape {_shape(tensor)}, but the network's {layer} there has shape "
                f"{_shape(target)}.",
                position=i + 1,
                layer=name,
                file_shape=_shape(tensor),
                model_layer=layer,
                model_shape=_shape(target),
            )
    if n_file < n_model:
        layer = describe_layer(model, model_items[n_file][0])
        return ModelFileError(
            "state_dict_too_few",
            f"The file has {n_file} weight tensors but this architecture needs {n_model}: "
            f"it has nothing for {layer} and the layers after it.",
            file_count=n_file,
            model_count=n_model,
            model_layer=layer,
        )
    name = file_items[n_model][0]
    return ModelFileError(
        "state_dict_too_many",
        f"The file has {n_file} weight tensors but this architecture needs only {n_model}: "
        f"the network has no place for {name} and the tensors after it.",
        file_count=n_file,
        model_count=n_model,
        layer=name,
    )


def match_state_dict(tensors: Mapping[str, torch.Tensor], model: nn.Module) -> StateDictMatch:
    """Pair a plain state_dict's tensors with `model`'s by order and shape (see the module's doc).

    Returns the file's tensors under the model's names, ready for
    `model.load_state_dict`. Raises ModelFileError naming the first tensor that
    differs, or the counts when one has tensors left over.
    """
    target = model.state_dict()
    model_items = [(k, v) for k, v in target.items() if not _is_counter(k, v)]
    file_items = [(k, v) for k, v in tensors.items() if not _is_counter(k, v)]
    same = len(file_items) == len(model_items) and all(
        _shape(a) == _shape(b) for (_, a), (_, b) in zip(file_items, model_items, strict=True)
    )
    reordered = False
    if not same:
        found = _reordered(file_items, model_items)
        if found is None:
            raise _mismatch(model, file_items, model_items)
        file_items, reordered = found, True
    state = {model_name: t for (model_name, _), (_, t) in zip(model_items, file_items, strict=True)}
    pairs = tuple((f, m) for (m, _), (f, _) in zip(model_items, file_items, strict=True))
    # BatchNorm's counters: the file's when it has one for each, else the fresh network's zeros.
    model_counters = [k for k, v in target.items() if _is_counter(k, v)]
    file_counters = [v for k, v in tensors.items() if _is_counter(k, v)]
    if len(file_counters) != len(model_counters):
        file_counters = [target[k] for k in model_counters]
    state.update(zip(model_counters, file_counters, strict=True))
    return StateDictMatch(state, pairs, reordered)


def _pickle_strings(data: bytes) -> set[str]:
    """Every string argument in the pickle(s) of a torch.save file, read without unpickling."""
    pickles: list[bytes] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            pickles = [archive.read(n) for n in archive.namelist() if n.endswith("data.pkl")]
    except (zipfile.BadZipFile, OSError, KeyError):
        pickles = [data]  # the legacy format: pickles one after another
    found: set[str] = set()
    for blob in pickles:
        stream = io.BytesIO(blob)
        for _ in range(8):  # the legacy format has a few short pickles before the data
            try:
                for _, arg, _ in pickletools.genops(stream):
                    if isinstance(arg, str):
                        found.add(arg)
            except Exception:  # a damaged or foreign stream: keep what was read
                break
            if stream.tell() >= len(blob):
                break
    return found


def is_pickled_module(data: bytes) -> bool:
    """True if `data` is a whole nn.Module pickled by `torch.save(model)`, judged without running it.

    pickletools only lists the pickle's opcodes: nothing is imported or
    called. A pickled module names torch.nn's layer classes and stores its
    layers under `_modules`.
    """
    strings = _pickle_strings(data)
    return "_modules" in strings or any(s.startswith("torch.nn.modules") for s in strings)
