"""Download the trained model, or upload one back, with clear messages for bad files."""

from __future__ import annotations

import streamlit as st

from data import Dataset
from models import (
    ModelFileError,
    TrainConfig,
    TrainingRun,
    check_compatible,
    load_model_file,
    model_to_bytes,
)
from models.history import History

MAX_MODEL_MB = 50  # our largest model (784-500-500-10) is ~3 MB
MAX_MODEL_BYTES = MAX_MODEL_MB * 1024 * 1024  # Streamlit's upload limits count MB as 2**20 bytes


def adopt_uploaded(state, dataset: Dataset, data: bytes, train_config: TrainConfig) -> str:
    """Load model bytes into the lab's state as a finished run; returns a status message.

    Raises ModelFileError with a student-readable message if the file can't be used here.
    """
    if len(data) > MAX_MODEL_BYTES:
        raise ModelFileError(
            f"This file is {len(data) / 1e6:.0f} MB; NN Lab models are at most {MAX_MODEL_MB} MB."
        )
    model, meta = load_model_file(data)
    check_compatible(model, dataset)
    tc = TrainConfig.from_dict(meta["train_config"]) if meta.get("train_config") else train_config
    run = TrainingRun(dataset, model.config, tc, model=model)
    history_rows = (meta.get("history") or {}).get("epochs") or []
    run.history = History(epochs=history_rows)
    run.epoch = len(history_rows)
    run.train_config.epochs = run.epoch
    run.status = "finished"
    run.stop_reason = "Loaded from a model file."
    if state.run is not None and state.run.history.epochs:
        state.previous_history = state.run.history.epochs
    state.run, state.running, state.signature = run, False, None
    state.extras["uploaded"] = True
    state.extras.pop(
        "wall_done", None
    )  # the replaced run's training clock (ui.training_view), and its reference
    hidden = "-".join(str(h) for h in model.config.hidden)
    return f"Loaded a {model.config.kind.upper()} with hidden layers {hidden or 'none'} ({model.config.activation})."


def model_files_ui(state, dataset: Dataset, train_config: TrainConfig) -> None:
    """Download button for the session's model and an uploader that replaces it."""
    lab = state.extras.get("key", "lab")
    with st.expander("Model file: download or upload"):
        run = state.run
        if run is not None and not state.running and run.epoch > 0:
            data = model_to_bytes(
                run.model, train_config=run.train_config, dataset=dataset, history=run.history
            )
            st.download_button(
                "Download model (.pth: weights + JSON config)",
                data,
                file_name=f"nnlab_{lab}.pth",
                mime="application/octet-stream",
                key=f"{lab}_download",
            )
        else:
            st.caption("Train (or pause) a model to download it.")
        upload = st.file_uploader(
            "Upload a model saved by NN Lab",
            type=["pth", "pt"],
            key=f"{lab}_upload",
            # the browser refuses a bigger file before sending it (else up to 200 MB is read first)
            max_upload_size=MAX_MODEL_MB,
        )
        if upload is not None and state.extras.get("upload_id") != upload.file_id:
            state.extras["upload_id"] = upload.file_id
            try:
                state.extras["upload_msg"] = (
                    "ok",
                    adopt_uploaded(state, dataset, upload.getvalue(), train_config),
                )
            except ModelFileError as exc:
                state.extras["upload_msg"] = ("error", str(exc))
            st.rerun()
        kind, msg = state.extras.get("upload_msg", (None, None))
        if kind == "ok":
            st.success(msg)
        elif kind == "error":
            st.error(f"That file could not be used: {msg} Your current model is unchanged.")
