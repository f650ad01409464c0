"""Checks of an NN Lab model file's description (its JSON), before anything is built from it.

A file edited by hand, damaged, or written by another version of NN Lab can hold any JSON:
an optimizer this version lacks, a batch size of 0, a learning rate that is text, a history
that is a number. Each would otherwise fail later, deep in the trainer or the sidebar, with
Python's own words. Here each gets one ModelFileError naming the setting and its value.
"""

from __future__ import annotations

import math
from typing import Any, get_args

from models.config import LOSSES, OPTIMIZER_NAMES, Task, TrainConfig
from models.flags import flag_for_field
from models.model_file_error import ModelFileError

SECTIONS = ("model_config", "train_config", "dataset", "history")
TASKS = get_args(Task)
# Seeds go to torch.manual_seed, which takes at most 64 bits.
SEED_LIMIT = 2**63


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# What each training setting must be, if the file gives it (older files lack some).
TRAIN_RULES = {
    "optimizer": lambda v: v in OPTIMIZER_NAMES,
    "lr": lambda v: _number(v) and v > 0,
    "weight_decay": lambda v: _number(v) and v >= 0,
    "batch_size": lambda v: _whole(v) and v >= 1,
    "epochs": lambda v: _whole(v) and v >= 0,
    "seed": lambda v: _whole(v) and 0 <= v < SEED_LIMIT,
    "loss": lambda v: v in LOSSES,
    "early_stopping": lambda v: v is None or (_whole(v) and v >= 0),
    "device": lambda v: isinstance(v, str),
    "clip_grad": lambda v: _number(v) and v >= 0,
    "augment": lambda v: isinstance(v, bool),
}


# What a data option must be, by the kind of the flag that sets it.
OPTION_RULES = {
    "int": _whole,
    "float": _number,
    "bool": lambda v: isinstance(v, bool),
    "choice": lambda v: isinstance(v, str),
    "names": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
}


def bad_setting(setting: str, value: Any) -> ModelFileError:
    """The error for a file whose description gives `setting` a value NN Lab can't use."""
    shown = repr(value)
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    return ModelFileError(
        "model_file_bad_setting",
        f"This file gives {setting} the value {shown}, which NN Lab can't use: the file is "
        "damaged or was written by a different version of NN Lab.",
        setting=setting,
        value=shown,
    )


def check_description(meta: Any) -> None:
    """Raise ModelFileError("model_file_bad_setting") for the first part of `meta` NN Lab can't use.

    Checks the shape of each section and every training setting the file gives; the network
    itself is checked by building it (models.persistence).
    """
    if not isinstance(meta, dict):
        raise bad_setting("meta", meta)
    if not isinstance(meta.get("model_config"), dict):
        raise bad_setting("model_config", meta.get("model_config"))
    task = meta["model_config"].get("task")
    if task not in TASKS:  # else a lab's mismatch message would name an unknown task
        raise bad_setting("model_config.task", task)
    for section in ("train_config", "dataset", "history"):
        if meta.get(section) is not None and not isinstance(meta[section], dict):
            raise bad_setting(section, meta[section])
    train = meta.get("train_config") or {}
    for name, allowed in TRAIN_RULES.items():
        if name in train and not allowed(train[name]):
            raise bad_setting(f"train_config.{name}", train[name])
    TrainConfig.from_dict(train)  # every known field checked above: it builds
    dataset = meta.get("dataset") or {}
    for key in ("options", "feature_names", "class_names"):
        value = dataset.get(key)
        kind = dict if key == "options" else list
        if value is not None and not isinstance(value, kind):
            raise bad_setting(f"dataset.{key}", value)
    for key, value in (dataset.get("options") or {}).items():
        flag = flag_for_field("data", key)
        if flag is not None and value is not None and not OPTION_RULES[flag.kind](value):
            raise bad_setting(f"dataset.options.{key}", value)
    for key, values in (meta.get("history") or {}).items():
        if not isinstance(values, list):
            raise bad_setting(f"history.{key}", values)
        if key == "epochs" and not all(isinstance(row, dict) for row in values):
            raise bad_setting("history.epochs", next(r for r in values if not isinstance(r, dict)))
