"""Which model reads the drawings and gets inspected: the session's own, or a pretrained one.

Pretrained models ship in models/pretrained/ (see its README for the exact
CLI commands) and load with models.load_model_file, i.e. torch.load with
weights_only=True: no arbitrary unpickling. They are loaded once per server
process and shared read-only; a model the student trains replaces them for
that session only.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import streamlit as st

from models import ModelFileError, Network, load_model_file, predict_proba
from ui.first_load import spinner_on_first_load
from ui.language import error_text, t, translator
from ui.mnist.session import MnistSession, mnist_session
from ui.state import LabSession

PRETRAINED_DIR = Path(__file__).resolve().parents[2] / "models" / "pretrained"
PRETRAINED_FILES = {"mlp": "mnist_mlp.pth", "cnn": "mnist_cnn.pth"}
UPLOAD_SEEN = "mnist_upload_seen"  # the run generation of the last upload that took over the pad
# The model picker's values are "yours", "mlp" and "cnn", shown as mnist.models.choices.<value>;
# a pretrained model's name in a sentence is mnist.models.names.<kind>.


@dataclass
class ActiveModel:
    """The model in use, where it came from, and a sentence saying so."""

    model: Network
    source: str  # "yours", "mlp" or "cnn"
    description: str  # in the session's language at the time it was made
    version: tuple  # changes whenever the model's weights may have changed


@st.cache_resource(show_spinner=False)
def load_pretrained(kind: str) -> tuple[Network, dict]:
    """The shipped model of `kind` ("mlp"/"cnn") and its metadata, once per process.

    Raises ModelFileError if the file is missing or damaged.
    """
    model, meta = load_model_file(PRETRAINED_DIR / PRETRAINED_FILES[kind])
    for p in model.parameters():
        p.requires_grad_(False)  # shared by every session: nobody trains it
    return model, meta


def pretrained_accuracy(meta: dict) -> float | None:
    """The validation accuracy recorded in a model file's history, if any."""
    rows = (meta.get("history") or {}).get("epochs") or []
    return rows[-1].get("valid_accuracy") if rows else None


def has_own_model(session: LabSession) -> bool:
    """True once this session's run has taken a training step (or a model was uploaded)."""
    live = session.live
    # An uploaded file may hold a model with no epochs recorded; it is still the one the student chose.
    return live.has_run and (live.step > 0 or session.uploaded)


def model_choice_ui(session: LabSession) -> str:
    """A small picker: your model (once there is one) or either pretrained model."""
    own = has_own_model(session)
    options = (["yours"] if own else []) + ["mlp", "cnn"]
    key = "mnist_use_model"
    announced = mnist_session()
    # A model file just uploaded (NN Lab's own or the slides' plain state_dict) is what the
    # student wants to draw for, even if they had picked a pretrained model before.
    new_upload = session.uploaded and st.session_state.get(UPLOAD_SEEN) != session.live.generation
    if st.session_state.get(key) not in options:
        st.session_state[key] = options[0]
    elif (own and not announced.announced_own) or new_upload:
        st.session_state[key] = "yours"  # a freshly trained or uploaded model takes over once
    announced.announced_own = own
    if session.uploaded:
        st.session_state[UPLOAD_SEEN] = session.live.generation
    return st.radio(
        t("mnist.models.choice"),
        options,
        format_func=translator().choice("mnist.models.choices"),
        horizontal=True,
        key=key,
    )


def _own_model(session: LabSession) -> ActiveModel | None:
    live = session.live
    model = live.inference_copy()  # the run may be training: predict with a copy, never the model
    if model is None:
        return None
    epoch, last = live.latest_epoch()
    acc = (
        t("mnist.models.own_accuracy", acc=last["valid_accuracy"])
        if last and "valid_accuracy" in last
        else ""
    )
    status = (
        t("mnist.models.own_training")
        if live.running
        else t("mnist.models.own_epochs", epoch=epoch)
    )
    sentence = "mnist.models.own_uploaded" if session.uploaded else "mnist.models.own_trained"
    version = (live.generation, live.step, epoch)
    description = t(sentence, kind=model.config.kind.upper(), status=status, acc=acc)
    return ActiveModel(model, "yours", description, version)


def active_model(session: LabSession, choice: str) -> ActiveModel | None:
    """The chosen model with a description; None if no model can be had (a message is shown)."""
    if choice == "yours" and has_own_model(session):
        own = _own_model(session)
        if own is not None:
            return own
    kind = choice if choice in PRETRAINED_FILES else "mlp"
    name = t(f"mnist.models.names.{kind}")
    try:
        model, meta = load_pretrained(kind)
    except ModelFileError as exc:
        st.error(t("mnist.models.load_failed", name=name, message=error_text(exc)))
        return None
    acc = pretrained_accuracy(meta)
    note = t("mnist.models.pretrained_accuracy", acc=acc) if acc is not None else ""
    extra = "" if has_own_model(session) else t("mnist.models.takes_over")
    description = t("mnist.models.pretrained", name=name, note=note, extra=extra)
    return ActiveModel(model, kind, description, (kind,))


def validation_predictions(model: Network, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(predicted digit, confidence) for every image in X, batched (no float copy of X)."""
    probs = predict_proba(model, X)
    return probs.argmax(axis=1), probs.max(axis=1).astype(np.float32)


@st.cache_resource(show_spinner=False)
def _builtin_predictions(kind: str, _X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return validation_predictions(load_pretrained(kind)[0], _X)


def predictions_for(
    active: ActiveModel, X: np.ndarray, builtin: bool, cache: MnistSession | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """validation_predictions of the active model on X, computed once per model version.

    A pretrained model on the built-in set is cached for the whole process;
    anything else (your model, uploaded data) once per change, in this session.
    """
    if active.source != "yours" and builtin:
        key = ("mnist_builtin_predictions", active.source)
        with spinner_on_first_load(key, "mnist.models.reading_builtin"):
            return _builtin_predictions(active.source, X)
    # The model's version (run generation and step), not id(): after Reset the next run can
    # be given a freed object's id, and with the same step count it was shown the old
    # model's predictions. The array is held weakly, so a replaced upload can be freed.
    own = cache if cache is not None else mnist_session()
    cached = own.valid_predictions
    if cached is None or cached[0] != active.version or cached[1]() is not X:
        with st.spinner(t("mnist.models.reading_valid")):
            cached = (active.version, weakref.ref(X), validation_predictions(active.model, X))
        own.valid_predictions = cached
    return cached[2]
