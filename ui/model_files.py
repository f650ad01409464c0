"""Download the trained model, or upload one back, with clear messages for bad files."""

from __future__ import annotations

import streamlit as st

from data import Dataset
from models import (
    ModelConfig,
    ModelFileError,
    TrainConfig,
    check_compatible,
    load_model_file,
    model_to_bytes,
)
from models.loaded_run import loaded_run
from ui.language import error_text, t
from ui.state import LabSession

MAX_MODEL_MB = 50  # our largest model (784-500-500-10) is ~3 MB
MAX_MODEL_BYTES = MAX_MODEL_MB * 1024 * 1024  # Streamlit's upload limits count MB as 2**20 bytes


def too_big(size: int) -> ModelFileError:
    """The error for a model file over MAX_MODEL_MB (coded like the errors of models/)."""
    message = f"This file is {size / 1e6:.0f} MB; NN Lab models are at most {MAX_MODEL_MB} MB."
    return ModelFileError("model_file_too_big", message, mb=size / 1e6, limit=MAX_MODEL_MB)


def loaded_message(config: ModelConfig) -> str:
    """ "Loaded a MLP with hidden layers 5 (relu)." in the session's language."""
    hidden = "-".join(str(h) for h in config.hidden)
    return t(
        "common.files.loaded",
        kind=config.kind.upper(),
        hidden=hidden or t("common.files.no_hidden"),
        activation=config.activation,
    )


def adopt_uploaded(
    session: LabSession, dataset: Dataset, data: bytes, train_config: TrainConfig
) -> str:
    """Load model bytes into the lab's session as a finished run; returns a status message.

    Raises ModelFileError (worded by ui.language.error_text) if the file can't be used
    here; the current run is then unchanged.
    """
    if len(data) > MAX_MODEL_BYTES:
        raise too_big(len(data))
    model, meta = load_model_file(data)
    check_compatible(model, dataset)
    run = loaded_run(dataset, model, meta, train_config)
    with session.live.borrow() as old:
        if old is not None and old.history.epochs:
            session.previous_history = list(old.history.epochs)
    session.live.start(run, running=False)
    session.signature, session.uploaded = None, True
    return loaded_message(model.config)


def model_files_ui(session: LabSession, dataset: Dataset, train_config: TrainConfig) -> None:
    """Download button for the session's model and an uploader that replaces it."""
    key, live = session.key, session.live
    with st.expander(t("common.files.title")):
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
                t("common.files.download"),
                data,
                file_name=f"nnlab_{key}.pth",
                mime="application/octet-stream",
                key=f"{key}_download",
            )
        else:
            st.caption(t("common.files.train_first"))
        upload = st.file_uploader(
            t("common.files.upload"),
            type=["pth", "pt"],
            key=f"{key}_upload",
            # the browser refuses a bigger file before sending it (else up to 200 MB is read first)
            max_upload_size=MAX_MODEL_MB,
        )
        if upload is not None and session.upload_id != upload.file_id:
            session.upload_id = upload.file_id
            try:
                adopt_uploaded(session, dataset, upload.getvalue(), train_config)
                with live.borrow() as run:
                    session.upload_message = ("ok", run.model_config)
            except ModelFileError as exc:
                session.upload_message = ("error", exc)
            st.rerun()
        # Kept as what happened, not as a sentence, so it shows in the language of the moment.
        kind, what = session.upload_message or (None, None)
        if kind == "ok":
            st.success(loaded_message(what))
        elif kind == "error":
            st.error(t("common.files.failed", reason=error_text(what)))
