"""Download the trained model, or upload one back, with clear messages for bad files.

Two kinds of file come back in:
- NN Lab's own (.pth with weights + JSON): the model it describes is loaded,
  and the lab's sidebar is set to the settings that made it
  (ui.experiment_settings.queue_settings, applied before the next run draws
  the widgets); what the sidebar cannot show is reported, the rest applies.
- A plain state_dict, as the slides save it with
  `torch.save(model.state_dict(), path)`: it has no architecture, so its
  tensors are fitted by order and shape into the network the sidebar
  describes right now (models.load_model_file with `model_config`).

Either way the loaded model becomes the lab's run, shown as the run the
sidebar's settings made (not as "settings changed"): see settle_restored.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import streamlit as st

from data import Dataset
from data.errors import CodedError
from lessons.registry import LABS
from models import (
    ModelConfig,
    ModelFileError,
    TrainConfig,
    check_compatible,
    load_model_file,
    model_to_bytes,
)
from models.flags import settings_of
from models.loaded_run import loaded_run
from models.persistence import PLAIN_FORMAT
from ui.controls import ACTIVATION_LABELS
from ui.experiment_settings import lab_flags, queue_settings, settings_problems
from ui.language import error_text, t
from ui.state import LabSession

MAX_MODEL_MB = 50  # our largest model (784-500-500-10) is ~3 MB
MAX_MODEL_BYTES = MAX_MODEL_MB * 1024 * 1024  # Streamlit's upload limits count MB as 2**20 bytes
# The settings an upload expects the sidebar to show on the next run, per lab.
_RESTORED = "model_files::restored::"
# Problems of ui.experiment_settings that name their setting by their code, not a param.
SETTING_OF_CODE = {"setting_uneven_hidden": "hidden"}


@dataclass(frozen=True)
class Uploaded:
    """What an upload loaded: the model's architecture and training settings, and the file's kind."""

    model_config: ModelConfig
    train_config: TrainConfig
    plain: bool
    """A plain state_dict fitted into the sidebar's network (else NN Lab's own file)."""
    reordered: bool = False
    """The plain file's layers were defined in another order and were paired by shape."""


def too_big(size: int) -> ModelFileError:
    """The error for a model file over MAX_MODEL_MB (coded like the errors of models/)."""
    message = f"This file is {size / 1e6:.0f} MB; NN Lab models are at most {MAX_MODEL_MB} MB."
    return ModelFileError("model_file_too_big", message, mb=size / 1e6, limit=MAX_MODEL_MB)


def architecture_text(config: ModelConfig) -> str:
    """A network as the slides draw it: "784-128-10 ReLU", or "CNN 16-32, 64-10 ReLU"."""
    activation = ACTIVATION_LABELS.get(config.activation, config.activation)
    dense = "-".join(str(n) for n in (*config.hidden, config.n_outputs))
    if config.kind == "cnn":
        convs = "-".join(str(c) for c in config.conv_channels)
        return f"CNN {convs}, {dense} {activation}"
    return f"{math.prod(config.input_shape)}-{dense} {activation}"


def loaded_message(config: ModelConfig) -> str:
    """ "Loaded a MLP with hidden layers 5 (relu)." in the session's language."""
    hidden = "-".join(str(h) for h in config.hidden)
    return t(
        "common.files.loaded",
        kind=config.kind.upper(),
        hidden=hidden or t("common.files.no_hidden"),
        activation=config.activation,
    )


def uploaded_message(upload: Uploaded, restored: bool = True) -> str:
    """The sentence for a successful upload, in the session's language.

    `restored`: the sidebar was set to an NN Lab file's settings (model_files_ui does that).
    """
    if upload.plain:
        text = t("common.files.loaded_state_dict", network=architecture_text(upload.model_config))
        return text + (t("common.files.reordered") if upload.reordered else "")
    return loaded_message(upload.model_config) + (t("common.files.restored") if restored else "")


def adopt_file(
    session: LabSession,
    dataset: Dataset,
    data: bytes,
    train_config: TrainConfig,
    model_config: ModelConfig | None = None,
) -> Uploaded:
    """Load model bytes into the lab's session as a finished run; returns what was loaded.

    `model_config` (the sidebar's network) is where a plain state_dict's
    tensors go; NN Lab's own files bring their own. Raises ModelFileError
    (worded by ui.language.error_text) if the file can't be used here; the
    current run is then unchanged.
    """
    if len(data) > MAX_MODEL_BYTES:
        raise too_big(len(data))
    model, meta = load_model_file(data, model_config=model_config)
    check_compatible(model, dataset)
    run = loaded_run(dataset, model, meta, train_config)
    with session.live.borrow() as old:
        if old is not None and old.history.epochs:
            session.previous_history = list(old.history.epochs)
    session.live.start(run, running=False)
    session.signature, session.uploaded = None, True
    plain = meta.get("format") == PLAIN_FORMAT
    reordered = bool(plain and meta["extra"].get("reordered"))
    tc = run.train_config  # its epochs are the file's recorded ones: the sidebar's if none
    tc = tc if tc.epochs > 0 else dataclasses.replace(tc, epochs=train_config.epochs)
    return Uploaded(model.config, tc, plain, reordered)


def adopt_uploaded(
    session: LabSession,
    dataset: Dataset,
    data: bytes,
    train_config: TrainConfig,
    model_config: ModelConfig | None = None,
) -> str:
    """adopt_file, returning the status message instead (the sidebar is not touched)."""
    upload = adopt_file(session, dataset, data, train_config, model_config)
    return uploaded_message(upload, restored=False)


def _without_epochs(config: TrainConfig) -> TrainConfig:
    # Epochs can be extended ("Train more"), so like the run's signature they are left out.
    return dataclasses.replace(config, epochs=0)


def settle_restored(
    session: LabSession, signature: tuple, model_config: ModelConfig, train_config: TrainConfig
) -> None:
    """In the run after an upload: if the sidebar now shows the loaded run's settings, it is their run.

    Call before the Train row decides whether the settings changed. When a
    setting could not be shown (e.g. hidden layers of different widths), the
    sidebar's network differs from the loaded one, and the panel says it shows
    the upload instead.
    """
    expected = st.session_state.pop(_RESTORED + session.key, None)
    if expected is None or not session.uploaded:
        return
    if (model_config, _without_epochs(train_config)) == expected:
        session.signature = signature


def restorable_settings(lab_key: str, model_config: ModelConfig, train_config: TrainConfig) -> dict:
    """The settings of a model to put in lab `lab_key`'s sidebar (models.flags names).

    A setting the lab has no control for is left out while it has its default
    value (a file from the command line records all of them): only a real
    difference is worth a note that the sidebar cannot show it.
    """
    settings = settings_of(model_config, train_config)
    lab = next((entry for entry in LABS if entry.key == lab_key), None)
    if lab is None or lab.controls is None:
        return settings
    defaults = settings_of(
        ModelConfig(input_shape=(1,), n_outputs=1, task="binary", kind=model_config.kind),
        TrainConfig(),
    )
    shown = set(lab_flags(lab))
    return {
        name: value
        for name, value in settings.items()
        if name in shown or name not in defaults or defaults[name] != value
    }


def _restore(session: LabSession, upload: Uploaded) -> None:
    """Queue the uploaded model's settings for the sidebar, and what it should show after."""
    if not upload.plain:
        settings = restorable_settings(session.key, upload.model_config, upload.train_config)
        queue_settings(session.key, settings)
    expected = (upload.model_config, _without_epochs(upload.train_config))
    st.session_state[_RESTORED + session.key] = expected


def _setting_text(problem: CodedError) -> str:
    """ "hidden=128,64": the setting a problem of ui.experiment_settings is about, and its value."""
    name = problem.params.get("setting") or SETTING_OF_CODE.get(problem.code or "", "")
    value = problem.params.get("value")
    return f"{name}={value}" if name and value is not None else name or str(value or "")


def _upload_status(session: LabSession) -> None:
    # Kept as what happened, not as a sentence, so it shows in the language of the moment.
    kind, what = session.upload_message or (None, None)
    if kind == "ok":
        st.success(uploaded_message(what))
        problems = settings_problems(session.key)
        if not what.plain and problems:
            names = ", ".join(_setting_text(p) for p in problems)
            st.warning(t("common.files.not_restored", settings=names))
    elif kind == "error":
        st.error(t("common.files.failed", reason=error_text(what)))


def model_files_ui(
    session: LabSession, dataset: Dataset, model_config: ModelConfig, train_config: TrainConfig
) -> None:
    """Download button for the session's model and an uploader that replaces it.

    An upload restores the sidebar to the file's settings (NN Lab's own file),
    or fits a plain state_dict into `model_config`, the sidebar's network.
    """
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
            help=t("common.files.upload_help", network=architecture_text(model_config)),
            # the browser refuses a bigger file before sending it (else up to 200 MB is read first)
            max_upload_size=MAX_MODEL_MB,
        )
        if upload is not None and session.upload_id != upload.file_id:
            session.upload_id = upload.file_id
            try:
                uploaded = adopt_file(
                    session, dataset, upload.getvalue(), train_config, model_config
                )
                _restore(session, uploaded)
                session.upload_message = ("ok", uploaded)
            except CodedError as exc:  # ModelFileError, or a sidebar network that can't be built
                session.upload_message = ("error", exc)
            st.rerun()
        _upload_status(session)
