"""A run's settings under the CLI's flag names: one vocabulary for commands, links and comparisons.

`python -m models.train --hidden 500,500 --lr 0.1`, the link
`/mnist?hidden=500,500&lr=0.1` and a comparison row "lr 0.01 → 0.1" all say
the same thing with the same names. Settings are a plain dict keyed by the
flag's name without its dashes (`"batch-size"`), holding typed values
(`hidden` is a tuple of ints). Pure Python: the UI maps them onto its widgets.
"""

from __future__ import annotations

import difflib
import math
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from data.errors import CodedError
from data.loader import DATASET_NAMES
from models.config import (
    ACTIVATION_NAMES,
    DEVICES,
    INITS,
    LOSSES,
    MODEL_KINDS,
    OPTIMIZER_NAMES,
    ModelConfig,
    TrainConfig,
)


@dataclass(frozen=True)
class Flag:
    """One setting: its flag name, value kind, limits and where it lives.

    kind: "int", "float", "bool", "choice", "ints" (comma-separated whole
    numbers) or "names" (comma-separated words). `field` is the ModelConfig /
    TrainConfig field or the data.load option it sets (`part` says which).
    """

    name: str
    kind: str
    part: str  # "model", "train" or "data"
    field: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()


# Limits are what any lab could sensibly train on this machine; each lab's
# sliders narrow them further (ui.experiment_settings).
FLAGS: dict[str, Flag] = {
    f.name: f
    for f in (
        Flag("dataset", "choice", "data", "dataset", choices=DATASET_NAMES),
        Flag("split", "choice", "data", "split", choices=("recommended", "course")),
        Flag("features", "names", "data", "features"),
        Flag("n-per-corner", "int", "data", "n_per_corner", 0, 1000),
        Flag("noise", "float", "data", "noise", 0.0, 5.0),
        Flag("n-train", "int", "data", "n_train", 1, 60_000),
        Flag("n-valid", "int", "data", "n_valid", 1, 10_000),
        Flag("seq-len", "int", "data", "seq_len", 2, 500),
        Flag("n-sequences", "int", "data", "n_sequences", 4, 50_000),
        Flag("model", "choice", "model", "kind", choices=MODEL_KINDS),
        Flag("hidden", "ints", "model", "hidden", 1, 4096),
        Flag("activation", "choice", "model", "activation", choices=ACTIVATION_NAMES),
        Flag("batchnorm", "bool", "model", "batchnorm"),
        Flag("dropout", "float", "model", "dropout", 0.0, 0.95),
        Flag("init", "choice", "model", "init", choices=INITS),
        Flag("conv-channels", "ints", "model", "conv_channels", 1, 512),
        Flag("kernel-size", "int", "model", "kernel_size", 1, 9),
        Flag("forget-bias", "float", "model", "forget_bias", -10.0, 10.0),
        Flag("optimizer", "choice", "train", "optimizer", choices=OPTIMIZER_NAMES),
        Flag("lr", "float", "train", "lr", 1e-7, 100.0),
        Flag("weight-decay", "float", "train", "weight_decay", 0.0, 10.0),
        Flag("batch-size", "int", "train", "batch_size", 1, 60_000),
        Flag("epochs", "int", "train", "epochs", 1, 10_000),
        Flag("seed", "int", "train", "seed", 0, 2**31 - 1),
        Flag("loss", "choice", "train", "loss", choices=LOSSES),
        Flag("early-stopping", "int", "train", "early_stopping", 0, 10_000),
        Flag("device", "choice", "train", "device", choices=DEVICES),
        Flag("clip-grad", "float", "train", "clip_grad", 0.0, 100.0),
        Flag("augment", "bool", "train", "augment"),
    )
}
# MLP-only and CNN-only settings: a CNN's comparison row never shows "hidden".
CNN_ONLY = ("conv-channels", "kernel-size")
RECURRENT_ONLY = ("forget-bias",)  # only an LSTM has a forget gate (models/recurrent.py)
TRUE_WORDS = ("1", "true", "yes", "on")
# What sites append to a shared link (Facebook, Google, newsletters): never a setting.
TRACKING_PREFIXES = ("utm_", "fbclid", "gclid", "mc_")
FALSE_WORDS = ("0", "false", "no", "off")
# Names students bring from Keras, PyTorch or the slides (after `_` -> `-`) that no spelling
# check would tie to NN Lab's flag: an unknown key among them gets a "did you mean".
ALIASES = {
    **dict.fromkeys(
        ("layers", "neurons", "units", "hidden-layers", "hidden-size", "hidden-units"), "hidden"
    ),
    **dict.fromkeys(("learning-rate", "learningrate", "eta"), "lr"),
    **dict.fromkeys(("batch", "bs"), "batch-size"),
    **dict.fromkeys(("epoch", "n-epochs", "num-epochs"), "epochs"),
    **dict.fromkeys(("wd", "l2", "decay"), "weight-decay"),
    **dict.fromkeys(("act", "activations"), "activation"),
    **dict.fromkeys(("opt", "optim", "solver"), "optimizer"),
    **dict.fromkeys(("bn", "batch-norm"), "batchnorm"),
    **dict.fromkeys(("initializer", "initialization", "weight-init"), "init"),
    **dict.fromkeys(("arch", "architecture", "cell", "kind"), "model"),
    **dict.fromkeys(("channels", "filters"), "conv-channels"),
    **dict.fromkeys(("clip", "clip-norm", "grad-clip"), "clip-grad"),
    "random-seed": "seed",
    "patience": "early-stopping",
    "kernel": "kernel-size",
    "task": "dataset",
    "sequence-length": "seq-len",
    "augmentation": "augment",
}


def settings_of(
    model_config: ModelConfig, train_config: TrainConfig, dataset: Any = None
) -> dict[str, Any]:
    """Every setting of a run, keyed by flag name (data options from `dataset.options` if given)."""
    out: dict[str, Any] = {}
    if dataset is not None:
        if getattr(dataset, "name", None) in DATASET_NAMES:
            out["dataset"] = dataset.name
        out["split"] = getattr(dataset, "split", "recommended")
        for name, value in (getattr(dataset, "options", None) or {}).items():
            flag = flag_for_field("data", name)
            if flag is not None and value is not None:
                out[flag.name] = tuple(value) if flag.kind == "names" else value
    for flag in FLAGS.values():
        if flag.part == "model":
            if flag.name in CNN_ONLY and model_config.kind != "cnn":
                continue
            if flag.name in RECURRENT_ONLY and model_config.kind != "lstm":
                continue
            out[flag.name] = getattr(model_config, flag.field)
        elif flag.part == "train":
            value = getattr(train_config, flag.field)
            out[flag.name] = 0 if flag.name == "early-stopping" and value is None else value
    return out


def flag_for_field(part: str, field: str) -> Flag | None:
    """The flag that sets `field` of `part` ("model", "train" or "data"), if any."""
    for flag in FLAGS.values():
        if flag.part == part and flag.field == field:
            return flag
    return None


def format_value(name: str, value: Any) -> str:
    """A setting's value as a link and a command write it: "500,500", "0.01", "true"."""
    flag = FLAGS.get(name)
    if isinstance(value, bool) or (flag is not None and flag.kind == "bool"):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def parse_value(
    name: str,
    text: str,
    known: Iterable[str] | None = None,
    choices: Mapping[str, Iterable[str]] | None = None,
) -> Any:
    """The typed value of setting `name` written as `text`; raises CodedError naming the key.

    `known` (default: every flag) is what an unknown key's message lists and suggests from;
    `choices` narrows a choice setting to the caller's own (a lab offers fewer than the CLI).
    Codes: setting_unknown, setting_unknown_near, setting_not_number, setting_not_whole,
    setting_out_of_range, setting_not_choice, setting_not_bool.
    """
    flag = FLAGS.get(name)
    if flag is None:
        raise unknown_setting(name, FLAGS if known is None else known)
    text = str(text).strip()
    if flag.kind == "bool":
        if text.lower() in TRUE_WORDS:
            return True
        if text.lower() in FALSE_WORDS:
            return False
        raise CodedError(
            "setting_not_bool", f"{name}={text!r}: write true or false.", setting=name, value=text
        )
    if flag.kind == "choice":
        value = text.lower()
        allowed = tuple((choices or {}).get(name, flag.choices))
        if value not in allowed:
            listed = ", ".join(allowed)
            raise CodedError(
                "setting_not_choice",
                f"{name}={text!r} is not one of: {listed}.",
                setting=name,
                value=text,
                choices=listed,
            )
        return value
    if flag.kind == "names":
        return tuple(p.strip() for p in text.split(",") if p.strip())
    if flag.kind == "ints":
        parts = [p for p in text.replace(" ", ",").split(",") if p]
        if not parts and name == "hidden":
            return ()
        return tuple(_number(flag, p, text, whole=True) for p in parts) or _number(
            flag, "", text, whole=True
        )
    return _number(flag, text, text, whole=flag.kind == "int")


def suggest_setting(name: str, known: Iterable[str] = FLAGS) -> str | None:
    """The setting among `known` that the unknown key `name` most likely meant, if any.

    An alias first ("layers" -> hidden, "learning_rate" -> lr), then a near spelling
    ("hiden", "batchsize"), compared without dashes so that "batchsize" meets "batch-size".
    """
    known = list(known)
    key = name.strip().lower().replace("_", "-")
    alias = ALIASES.get(key) or ALIASES.get(key.replace("-", ""))
    if alias in known:
        return alias
    bare = {k.replace("-", ""): k for k in known}
    near = difflib.get_close_matches(key.replace("-", ""), list(bare), n=1, cutoff=0.75)
    return bare[near[0]] if near else None


def unknown_setting(
    name: str, known: Iterable[str] = FLAGS, shown: str | None = None
) -> CodedError:
    """The error for a key that is no setting: it lists `known` and suggests the likeliest.

    `shown` is the key as the link wrote it ("__proto__"), when `name` is its flag spelling.
    """
    known = list(known)
    keys = ", ".join(known)
    near = suggest_setting(name, known)
    shown = name if shown is None else shown
    if near is not None:
        return CodedError(
            "setting_unknown_near",
            f"{shown!r} is not a setting; did you mean {near}? The settings are: {keys}.",
            setting=shown,
            suggestion=near,
            keys=keys,
        )
    return CodedError(
        "setting_unknown",
        f"{shown!r} is not a setting; the settings are: {keys}.",
        setting=shown,
        keys=keys,
    )


def _number(flag: Flag, part: str, text: str, whole: bool) -> int | float:
    try:
        value = float(part)
    except ValueError:
        raise CodedError(
            "setting_not_number",
            f"{flag.name}={text!r} is not a number.",
            setting=flag.name,
            value=text,
        ) from None
    if not math.isfinite(value):
        raise CodedError(
            "setting_not_number",
            f"{flag.name}={text!r} is not a number.",
            setting=flag.name,
            value=text,
        )
    if whole and value != int(value):
        raise CodedError(
            "setting_not_whole",
            f"{flag.name}={text!r} must be a whole number.",
            setting=flag.name,
            value=text,
        )
    if (flag.low is not None and value < flag.low) or (flag.high is not None and value > flag.high):
        low, high = limits_text(flag)  # seed's 2147483647, not 2.14748e+09
        raise CodedError(
            "setting_out_of_range",
            f"{flag.name}={text!r} is outside {low} to {high}.",
            setting=flag.name,
            value=text,
            low=low,
            high=high,
        )
    return int(value) if whole else value


def limits_text(flag: Flag) -> tuple[str, str]:
    """A flag's (low, high) as a message writes them: a whole flag's as integers ("2147483647")."""
    if flag.kind in ("int", "ints"):
        return str(int(flag.low or 0)), str(int(flag.high or 0))
    return f"{flag.low:g}", f"{flag.high:g}"


def out_of_limits(values: Mapping[str, Any]) -> CodedError | None:
    """The first command-line value outside its flag's limits (FLAGS order), or None.

    `values` maps flag names to typed values (None: not given); a list is checked number by
    number. Code flag_out_of_range; NaN counts as outside, since no limit holds it.
    """
    for name, flag in FLAGS.items():
        if flag.low is None or flag.high is None or values.get(name) is None:
            continue
        value = values[name]
        for number in value if isinstance(value, list | tuple) else (value,):
            if not flag.low <= number <= flag.high:  # False for NaN too
                low, high = limits_text(flag)
                shown = format_value(name, number)
                return CodedError(
                    "flag_out_of_range",
                    f"--{name} {shown} is outside the allowed range {low} to {high}.",
                    flag=name,
                    value=shown,
                    low=low,
                    high=high,
                )
    return None


def parse_settings(
    query: Mapping[str, str | Iterable[str]],
    ignore: Iterable[str] = ("lang",),
    known: Iterable[str] | None = None,
    choices: Mapping[str, Iterable[str]] | None = None,
) -> tuple[dict[str, Any], list[CodedError]]:
    """Settings from a link's query (flag names; `_` accepted for `-`) and one error per bad key.

    Every good key is kept: one bad value never spoils the rest of the link. `known` and
    `choices` are the caller's own settings and choices (parse_value): a lab's, for a link.
    """
    settings: dict[str, Any] = {}
    errors: list[CodedError] = []
    skip = set(ignore)
    for raw_key, raw in query.items():
        if raw_key in skip or raw_key.lower().startswith(TRACKING_PREFIXES):
            continue
        name = raw_key.strip().lower().replace("_", "-")
        values = [raw] if isinstance(raw, str) else (list(raw) or [""])
        text = values[-1]
        if len(values) > 1 and len(set(values)) > 1:  # lr=0.1&lr=abc: say which one is used
            errors.append(
                CodedError(
                    "setting_repeated",
                    f"{raw_key} is given {len(values)} times in the link; the last one, {text}, "
                    "is used.",
                    setting=raw_key,
                    count=len(values),
                    value=text,
                )
            )
        try:
            settings[name] = parse_value(name, text, known, choices)
        except CodedError as exc:
            if exc.code in ("setting_unknown", "setting_unknown_near"):  # named as typed
                exc = unknown_setting(name, FLAGS if known is None else known, raw_key.strip())
            errors.append(exc)
    return settings, errors


def query_of(settings: Mapping[str, Any]) -> dict[str, str]:
    """Settings as a link's query values, in FLAGS order (device is left out: it names a machine)."""
    return {
        name: format_value(name, settings[name])
        for name in FLAGS
        if name in settings and name != "device"
    }


def command_of(dataset: str, settings: Mapping[str, Any]) -> str:
    """The `python -m models.train …` command that trains the same run headless."""
    words = ["python", "-m", "models.train", "--dataset", settings.get("dataset", dataset)]
    for name in FLAGS:
        if name not in settings or name == "dataset":
            continue
        value = settings[name]
        if FLAGS[name].kind == "bool":
            if value:
                words.append(f"--{name}")
            continue
        if name == "early-stopping" and not value:
            continue
        # An empty hidden (a CNN without a dense layer) is written as --hidden '',
        # which the CLI reads as no layer; leaving it out would give its default 64.
        words += [f"--{name}", format_value(name, value)]
    return shlex.join(words)


def diff_settings(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[tuple[str, Any, Any]]:
    """(name, before, after) for every setting that differs, in FLAGS order (W&B's "diff only")."""
    names = [n for n in FLAGS if n in before or n in after]
    return [
        (n, before.get(n), after.get(n))
        for n in names
        if _comparable(before.get(n)) != _comparable(after.get(n))
    ]


def _comparable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, float) and value == int(value):
        return int(value)
    return value
