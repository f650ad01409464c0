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
from ui.state import LabState

PRETRAINED_DIR = Path(__file__).resolve().parents[1] / "models" / "pretrained"
PRETRAINED_FILES = {"mlp": "mnist_mlp.pth", "cnn": "mnist_cnn.pth"}
PRETRAINED_NAMES = {"mlp": "pretrained fast MLP (784-128-10)", "cnn": "pretrained CNN"}
CHOICES = {"yours": "Your model", "mlp": "Pretrained MLP", "cnn": "Pretrained CNN"}
# Shown instead of a reading when the model's outputs are NaN. The trainer restores the
# last good weights when a run diverges, so only an uploaded file can bring such a model.
NOT_NUMBERS = (
    "This model's outputs are not numbers (NaN): its weights are broken, for example saved "
    "from a run whose loss had blown up. Pick a pretrained model above, or train a new one."
)


@dataclass
class ActiveModel:
    """The model in use, where it came from, and a sentence saying so."""

    model: Network
    source: str  # "yours", "mlp" or "cnn"
    description: str


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


def has_own_model(state: LabState) -> bool:
    """True once this session's run has taken a training step (or a model was uploaded)."""
    run = state.run
    # An uploaded file may hold a model with no epochs recorded; it is still the one the student chose.
    return run is not None and (run.step > 0 or run.epoch > 0 or bool(state.extras.get("uploaded")))


def model_choice_ui(state: LabState) -> str:
    """A small picker: your model (once there is one) or either pretrained model."""
    options = (["yours"] if has_own_model(state) else []) + ["mlp", "cnn"]
    key = "mnist_use_model"
    if st.session_state.get(key) not in options:
        st.session_state[key] = options[0]
    elif has_own_model(state) and not state.extras.get("announced_own"):
        st.session_state[key] = "yours"  # a freshly trained model takes over once
    if has_own_model(state):
        state.extras["announced_own"] = True
    else:
        state.extras.pop("announced_own", None)
    return st.radio(
        "Model that reads your drawings and is inspected",
        options,
        format_func=CHOICES.get,
        horizontal=True,
        key=key,
    )


def active_model(state: LabState, choice: str) -> ActiveModel | None:
    """The chosen model with a description; None if no model can be had (a message is shown)."""
    if choice == "yours" and has_own_model(state):
        run = state.run
        last = run.history.latest()
        acc = (
            f", {last['valid_accuracy']:.1%} on validation"
            if last and "valid_accuracy" in last
            else ""
        )
        kind = run.model_config.kind.upper()
        status = "training" if state.running else f"{run.epoch} epoch(s)"
        origin = "you uploaded" if state.extras.get("uploaded") else "from this session"
        return ActiveModel(run.model, "yours", f"Your {kind} {origin} ({status}{acc}).")
    kind = choice if choice in PRETRAINED_FILES else "mlp"
    try:
        model, meta = load_pretrained(kind)
    except ModelFileError as exc:
        st.error(
            f"The {PRETRAINED_NAMES[kind]} could not be loaded: {exc} Train a model to use the pad."
        )
        return None
    acc = pretrained_accuracy(meta)
    note = f" ({acc:.1%} on the 10,000 validation digits)" if acc is not None else ""
    extra = "" if has_own_model(state) else " Train your own and it takes over for this session."
    return ActiveModel(
        model, kind, f"The {PRETRAINED_NAMES[kind]} shipped with NN Lab{note}.{extra}"
    )


def validation_predictions(model: Network, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(predicted digit, confidence) for every image in X, batched (no float copy of X)."""
    probs = predict_proba(model, X)
    return probs.argmax(axis=1), probs.max(axis=1).astype(np.float32)


@st.cache_resource(show_spinner="Reading the 10,000 validation digits…")
def _builtin_predictions(kind: str, _X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return validation_predictions(load_pretrained(kind)[0], _X)


def predictions_for(
    active: ActiveModel, state: LabState, X: np.ndarray, builtin: bool
) -> tuple[np.ndarray, np.ndarray]:
    """validation_predictions of the active model on X, computed once per model version.

    A pretrained model on the built-in set is cached for the whole process;
    anything else (your model, uploaded data) once per change, in this session.
    """
    if active.source != "yours" and builtin:
        return _builtin_predictions(active.source, X)
    # Weak references, not id(): after Reset the next run (or the next upload's array)
    # can be given the freed object's id, and with the same step count it would be
    # shown the old model's predictions.
    owner = state.run if active.source == "yours" else active.model
    version = (state.run.step, state.run.epoch) if active.source == "yours" else None
    cached = state.extras.get("valid_predictions")
    if cached is None or cached[0]() is not owner or cached[1]() is not X or cached[2] != version:
        with st.spinner("Reading the validation digits…"):
            cached = (
                weakref.ref(owner),
                weakref.ref(X),
                version,
                validation_predictions(active.model, X),
            )
        state.extras["valid_predictions"] = cached
    return cached[3]
