"""Download the trained model, or upload one back, with clear messages for bad files."""

from __future__ import annotations

import streamlit as st

from data import Dataset
from models import ModelFileError, TrainConfig, check_compatible, load_model_file, model_to_bytes
from models.loaded_run import loaded_run
from ui.state import LabSession

MAX_MODEL_MB = 50  # our largest model (784-500-500-10) is ~3 MB
MAX_MODEL_BYTES = MAX_MODEL_MB * 1024 * 1024  # Streamlit's upload limits count MB as 2**20 bytes


def adopt_uploaded(
    session: LabSession, dataset: Dataset, data: bytes, train_config: TrainConfig
) -> str:
    """Load model bytes into the lab's session as a finished run; returns a status message.

    Raises ModelFileError with a student-readable message if the file can't be used here;
    the current run is then unchanged.
    """
    if len(data) > MAX_MODEL_BYTES:
        raise ModelFileError(
            f"This file is {len(data) / 1e6:.0f} MB; NN Lab models are at most {MAX_MODEL_MB} MB."
        )
    model, meta = load_model_file(data)
    check_compatible(model, dataset)
    run = loaded_run(dataset, model, meta, train_config)
    with session.live.borrow() as old:
        if old is not None and old.history.epochs:
            session.previous_history = list(old.history.epochs)
    session.live.start(run, running=False)
    session.signature, session.uploaded = None, True
    hidden = "-".join(str(h) for h in model.config.hidden)
    return f"Loaded a {model.config.kind.upper()} with hidden layers {hidden or 'none'} ({model.config.activation})."


def model_files_ui(session: LabSession, dataset: Dataset, train_config: TrainConfig) -> None:
    """Download button for the session's model and an uploader that replaces it."""
    key, live = session.key, session.live
    with st.expander("Model file: download or upload"):
        data = None
        if not live.running:
            with live.borrow() as run:
                if run is not None and run.epoch > 0:
                    data = model_to_bytes(
                        run.model,
                        train_config=run.train_config,
                        dataset=dataset,
                        history=run.history,
                    )
        if data is not None:
            st.download_button(
                "Download model (.pth: weights + JSON config)",
                data,
                file_name=f"nnlab_{key}.pth",
                mime="application/octet-stream",
                key=f"{key}_download",
            )
        else:
            st.caption("Train (or pause) a model to download it.")
        upload = st.file_uploader(
            "Upload a model saved by NN Lab",
            type=["pth", "pt"],
            key=f"{key}_upload",
            # the browser refuses a bigger file before sending it (else up to 200 MB is read first)
            max_upload_size=MAX_MODEL_MB,
        )
        if upload is not None and session.upload_id != upload.file_id:
            session.upload_id = upload.file_id
            try:
                message = adopt_uploaded(session, dataset, upload.getvalue(), train_config)
                session.upload_message = ("ok", message)
            except ModelFileError as exc:
                session.upload_message = ("error", str(exc))
            st.rerun()
        kind, msg = session.upload_message or (None, None)
        if kind == "ok":
            st.success(msg)
        elif kind == "error":
            st.error(f"That file could not be used: {msg} Your current model is unchanged.")
