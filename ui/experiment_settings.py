"""Settings (CLI flag names, models.flags) onto a lab's widgets: links, restored uploads, the coach.

A link `/xor?hidden=5&lr=0.1`, an uploaded model file and a coach's
suggestion all arrive as settings. They are queued and applied at the top of
the lab's next script run, before any widget is drawn (Streamlit refuses a
new value for a widget that already exists in the run). Each lab's sliders
have their own ranges: a value outside them is refused with a sentence
naming the key, a value between two notches of a notched slider moves to
the nearest notch with a note, and every other key still applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from data.errors import CodedError
from lessons.control_ranges import (
    DROPOUT,
    MNIST_CHANNELS,
    MNIST_CNN_ACTIVATIONS,
    MNIST_CONV_BLOCKS,
    MNIST_DENSE,
    MNIST_KERNELS,
    PATIENCES,
    RNN_CLIP_NORMS,
    RNN_COUNTS,
    RNN_FORGET_BIASES,
    RNN_NOISE,
    RNN_SEQ_LEN,
    SEED,
    XOR_CORNER,
    XOR_NOISE,
)
from lessons.registry import Lab
from models.flags import FLAGS, format_value, parse_settings, query_of, settings_of
from models.recurrent import RECURRENT_KINDS
from ui.controls import LEARNING_RATES, WEIGHT_DECAYS
from ui.setting_checks import lab_range, nearest_notch, not_choice, not_in_lab, on_slider
from ui.state import remember_value

_QUEUE = "settings::queued::"
_PROBLEMS = "settings::problems::"
_LINK = "settings::link::"
_LINK_VALUES = "settings::link_values::"  # widget key -> the value the last link set
_HERE = "settings::here"  # (session, page) of the last page drawn: a change is a new visit
_VISIT = "settings::visit"  # counts the visits, so problems know the one they belong to


def lab_flags(lab: Lab) -> tuple[str, ...]:
    """The settings `lab`'s widgets take, in FLAGS order (its ControlSpec.flags)."""
    names = set(lab.controls.flags) if lab.controls is not None else set()
    return tuple(n for n in FLAGS if n in names)


def lab_choices(lab: Lab) -> dict[str, tuple[str, ...]]:
    """The choices `lab`'s widgets offer where they are fewer than the CLI's, by flag name."""
    spec = lab.controls
    if spec is None:
        return {}
    out = {"optimizer": tuple(spec.optimizers)}
    if "model" in spec.flags:
        out["model"] = spec.kinds
    if "dataset" in spec.flags:
        out["dataset"] = (lab.dataset, *lab.more_datasets)
    return out


def lab_query(lab: Lab, model_config, train_config, dataset) -> dict[str, str]:
    """The link query for a lab's current settings: only keys its widgets take."""
    settings = settings_of(model_config, train_config, dataset)
    keep = lab_flags(lab)
    return query_of({k: v for k, v in settings.items() if k in keep})


def takes_settings(lab: Lab) -> bool:
    """True for the labs whose controls settings (a model file, the coach) can set."""
    return lab.controls is not None and bool(lab.controls.flags)


def takes_links(lab: Lab) -> bool:
    """True for the labs a link reopens whole: their data is named by settings too."""
    return takes_settings(lab) and lab.cli


def queue_settings(lab_key: str, settings: Mapping[str, Any]) -> None:
    """Apply `settings` to lab `lab_key`'s widgets at the top of its next run (call st.rerun() after)."""
    st.session_state[_QUEUE + lab_key] = dict(settings)


def settings_problems(lab_key: str) -> list[CodedError]:
    """What the last applied settings could not set (or moved to a notch), to be worded by the page."""
    record = st.session_state.get(_PROBLEMS + lab_key)
    return list(record[2]) if record else []


def link_in_effect(lab_key: str) -> bool:
    """True while every widget a link set still holds the link's value (the student moved none)."""
    values = st.session_state.get(_LINK_VALUES + lab_key)
    return bool(values) and all(st.session_state.get(k) == v for k, v in values.items())


def clear_problems(lab_key: str) -> None:
    """Forget the problems of the last applied settings (once the student has seen them)."""
    st.session_state.pop(_PROBLEMS + lab_key, None)


def apply_pending(lab: Lab) -> None:
    """Apply a new link's settings, then queued ones, to `lab`'s widgets; called before any widget.

    A link applies once per session and query: after that the student's own
    moves win, and a rerun does not put the link's values back. Every page calls it
    (ui.page_header), so it also notes which page visit this run belongs to.
    """
    visit = _visit(lab.key)
    if lab.controls is None:
        return
    queued = st.session_state.pop(_QUEUE + lab.key, None)
    if not takes_settings(lab):
        return
    query = {}
    if takes_links(lab):
        query = {k: st.query_params.get_all(k) for k in st.query_params if k != "lang"}
    signature = tuple(sorted((k, tuple(v)) for k, v in query.items()))
    _drop_stale_problems(lab.key, signature, visit)
    problems: list[CodedError] = []
    applied = False
    if signature and st.session_state.get(_LINK + lab.name) != signature:
        st.session_state[_LINK + lab.name] = signature
        settings, problems = parse_settings(query, known=lab_flags(lab), choices=lab_choices(lab))
        problems += _apply(lab, settings, link=True)
        applied = True
    if queued is not None:
        problems += _apply(lab, queued)
        applied = True
    if applied:  # otherwise the last problems stay while their link and visit last
        st.session_state[_PROBLEMS + lab.key] = (signature, visit, problems)


def _visit(lab_key: str) -> int:
    """This page visit's number: a new one when another page (or another session) drew last."""
    ctx = get_script_run_ctx()
    here = (getattr(ctx, "session_id", None), lab_key)
    if st.session_state.get(_HERE) != here:
        st.session_state[_HERE] = here
        st.session_state[_VISIT] = st.session_state.get(_VISIT, 0) + 1
    return st.session_state.get(_VISIT, 0)


def _drop_stale_problems(lab_key: str, signature: tuple, visit: int) -> None:
    # Problems belong to the link visit that caused them: the app never removes a link's keys
    # from the address, so a page shown without them (a typed address, a return from another
    # page) drops them while a reload of the link keeps them. A file's or a comparison's
    # problems (no link) last the visit they were found in.
    record = st.session_state.get(_PROBLEMS + lab_key)
    if record and (record[0] != signature or (record[1] != visit and not signature)):
        clear_problems(lab_key)


def _apply(lab: Lab, settings: Mapping[str, Any], link: bool = False) -> list[CodedError]:
    values, problems = widget_values(lab, settings)
    if lab.name == "mnist" and values:
        # MNIST fills its controls from the Fast MLP preset on a first visit; doing it
        # now keeps that from overwriting what the settings just set.
        from ui.mnist.controls import first_visit_preset

        first_visit_preset()
    for key, value in values.items():
        remember_value(key, value)
    if link:
        st.session_state[_LINK_VALUES + lab.key] = dict(values)
    return problems


def widget_values(lab: Lab, settings: Mapping[str, Any]) -> tuple[dict[str, Any], list[CodedError]]:
    """Widget key -> value for `settings` on `lab`, and one CodedError per key that cannot apply."""
    p = lab.controls.prefix
    out: dict[str, Any] = {}
    problems: list[CodedError] = []
    allowed = lab_flags(lab)
    kind = settings.get("model", st.session_state.get(f"{p}_kind", "mlp"))
    # The task whose noise a setting sets (one remembered noise per task): the settings' own, if named.
    task = settings.get("dataset") or st.session_state.get(f"{p}_task", lab.dataset)
    for name, value in settings.items():
        try:
            if name not in allowed:
                if _neutral(name, value) or (name == "dataset" and value == lab.dataset):
                    continue
                raise not_in_lab(name, value)
            out.update(_one(lab, name, value, kind, task, problems))
        except CodedError as exc:
            problems.append(exc)
    return {f"{p}_{k}" if not k.startswith(p + "_") else k: v for k, v in out.items()}, problems


def _neutral(name: str, value: Any) -> bool:
    """A value that asks for nothing this lab lacks (a CLI default), so is quietly skipped."""
    return (name, value) in {
        ("loss", "auto"),
        ("split", "recommended"),
        ("model", "mlp"),
        ("device", "cpu"),
        ("early-stopping", 0),
        ("batchnorm", False),
        ("augment", False),
    } or (name in ("noise", "clip-grad", "forget-bias") and value == 0)


def _one(
    lab: Lab, name: str, value: Any, kind: str, task: str | None, problems: list[CodedError]
) -> dict[str, Any]:
    spec = lab.controls
    offered = lab_choices(lab).get(name)
    if offered is not None and value not in offered:  # queued settings skip the link's check
        raise not_choice(name, value, offered)
    if _recurrent_lab(lab):
        found = _recurrent(name, value, task, problems)
        if found is not None:
            return found
    if name == "hidden":
        return _hidden(lab, value, kind)
    if name == "activation":
        if kind == "cnn":
            if value not in MNIST_CNN_ACTIVATIONS:
                raise not_choice(name, value, MNIST_CNN_ACTIVATIONS)
            return {"cnn_activation": value}
        return {"activation": value}
    if name in ("batchnorm", "init"):
        return {name: value}
    if name == "dropout":
        return {"dropout": on_slider(name, value, DROPOUT)}
    if name == "optimizer":  # lab_choices checked it
        return {"optimizer": value}
    if name == "lr":
        return {"lr": nearest_notch(name, value, LEARNING_RATES, problems)}
    if name == "weight-decay":
        if value == 0:
            return {"wd": 0.0}
        return {"wd": nearest_notch(name, value, [w for w in WEIGHT_DECAYS if w > 0], problems)}
    if name == "batch-size":
        return {"batch": nearest_notch(name, value, spec.batch_sizes, problems, linear=True)}
    if name == "epochs":
        lab_range(name, value, spec.epochs[0], spec.epochs[1])
        return {"epochs": value}
    if name == "seed":
        lab_range(name, value, *SEED)
        return {"seed": value}
    if name == "loss":
        if value == "mse" and not spec.allow_mse_loss:
            raise not_choice(name, value, ("auto",))
        return {"mse": value == "mse"}
    return _data(lab, name, value, problems)


def _recurrent_lab(lab: Lab) -> bool:
    """True for a lab whose model picker offers recurrent networks only (the RNN lab)."""
    return set(lab.controls.kinds) <= set(RECURRENT_KINDS)


def _recurrent(
    name: str, value: Any, task: str | None, problems: list[CodedError]
) -> dict[str, Any] | None:
    """The recurrent lab's own widgets (ui/rnn/controls.py); None for the shared ones."""
    if name == "dataset":  # lab_choices checked it, as it did the cell (model) below
        return {"task": value}
    if name == "seq-len":
        lab_range(name, value, *RNN_SEQ_LEN)
        return {"seq_len": value}
    if name == "n-sequences":
        return {"n": int(nearest_notch(name, value, RNN_COUNTS, problems))}
    if name == "noise":
        return {f"noise_{task}": on_slider(name, value, RNN_NOISE)}
    if name == "model":
        return {"cell": value}
    if name == "forget-bias":
        return {
            "forget_bias": float(
                nearest_notch(name, value, RNN_FORGET_BIASES, problems, linear=True)
            )
        }
    if name == "clip-grad":
        if not value:
            return {"clip": False}
        return {"clip": True, "clip_norm": nearest_notch(name, value, RNN_CLIP_NORMS, problems)}
    return None


def _hidden(lab: Lab, value: tuple[int, ...], kind: str) -> dict[str, Any]:
    spec = lab.controls
    if kind == "cnn":
        if len(value) > 1 or (value and value[0] not in MNIST_DENSE):
            raise not_choice("hidden", format_value("hidden", value), MNIST_DENSE[1:])
        return {"cnn_dense": value[0] if value else 0}
    low, high = spec.layers[0], spec.layers[1]
    # The RNN lab's sidebar has recurrent layers of one hidden state size, not hidden layers.
    recurrent = _recurrent_lab(lab)
    layers = "recurrent layers" if recurrent else "hidden layers"
    if not low <= len(value) <= high:  # "hidden=" names none; 13 fives are 13 layers, not a width
        raise CodedError(
            "setting_recurrent_layer_count" if recurrent else "setting_layer_count",
            f"hidden={format_value('hidden', value)} names {len(value)} {layers}, but this "
            f"lab's networks have {low} to {high}, so the {layers} kept their values.",
            value=format_value("hidden", value),
            count=len(value),
            low=low,
            high=high,
        )
    if len(set(value)) != 1:
        raise CodedError(
            "setting_uneven_recurrent" if recurrent else "setting_uneven_hidden",
            f"hidden={format_value('hidden', value)}: this lab's sliders build {layers} of one size.",
            value=format_value("hidden", value),
        )
    lab_range("hidden", value[0], spec.neurons[0], spec.neurons[1])
    return {"layers": len(value), "neurons": value[0]}


def _data(lab: Lab, name: str, value: Any, problems: list[CodedError]) -> dict[str, Any]:
    if name == "split":
        return {"split": value}
    if name == "features":
        from ui.datasets import load_dataset

        known = load_dataset(lab.dataset).feature_names
        unknown = [f for f in value if f not in known]
        if unknown or not value:
            raise not_choice(name, ",".join(unknown) or "", known)
        return {"features": list(value)}
    if name == "n-per-corner":
        if value == 0:
            return {"cloud": False}
        lab_range(name, value, *XOR_CORNER)
        return {"cloud": True, "n": value}
    if name == "noise":
        return {"noise": on_slider(name, value, XOR_NOISE)}
    if name == "n-train":
        from ui.subset import SUBSET_SIZES

        sizes = SUBSET_SIZES[lab.name]
        return {"n_train": int(nearest_notch(name, value, sizes, problems))}
    if name == "early-stopping":
        return {
            "patience": int(nearest_notch(name, value, PATIENCES, problems, linear=True))
            if value
            else 0
        }
    if name == "model":
        return {"kind": value}
    if name == "augment":
        return {"augment": value}
    if name == "conv-channels":
        first, blocks = value[0], len(value)
        low, high = MNIST_CONV_BLOCKS
        if first not in MNIST_CHANNELS or not low <= blocks <= high:
            raise not_choice(name, format_value(name, value), ("8,16", "16,32", "16,32,64"))
        if list(value) != [first * 2**i for i in range(blocks)]:
            raise not_choice(name, format_value(name, value), ("8,16", "16,32", "16,32,64"))
        return {"conv_blocks": blocks, "conv_first": first}
    if name == "kernel-size":
        if value not in MNIST_KERNELS:
            raise not_choice(name, value, MNIST_KERNELS)
        return {"kernel": value}
    raise not_in_lab(name, value)
